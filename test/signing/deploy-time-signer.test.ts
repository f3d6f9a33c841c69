import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import { DeployTimeSigner, SecureFunction, SecurityBaseline, SecurityBaselineProps } from '../../src';
import { assetWith, minimalProps, newStack, testOwned } from '../support/fixtures';


const STAGING_BUCKET_ARN = (suffix: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, ...(suffix ? [suffix] : [])]],
});

/** The statements of the signer's customer-managed policy. */
function signerStatements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerServiceRole') }] },
  });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.values(policies)[0].Properties.PolicyDocument.Statement;
}

describe('the deploy-time signer function', () => {
  test('is hardened: newest Node.js, tracing, reserved concurrency, dead-letter queue, encrypted code and logs', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Signs SecureFunction code packages with AWS Signer at deploy time',
      Runtime: lambda.Runtime.NODEJS_24_X.name,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 300,
      ReservedConcurrentExecutions: 2,
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineTerminalDeadLetterQueue'), 'Arn'] } },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerLogGroup') } },
      Code: Match.objectLike({ SourceKMSKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] } }),
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerServiceRole'), 'Arn'] },
      VpcConfig: Match.absent(),
    });
  });

  test('writes to a log group encrypted with the stack key, kept for a year', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
      Properties: {
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] },
        RetentionInDays: 365,
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('is created once per stack, and not at all when no asset needs signing', () => {
    const withAssets = newStack();
    new SecureFunction(withAssets, 'A', minimalProps());
    new SecureFunction(withAssets, 'B', minimalProps());
    expect(Object.keys(Template.fromStack(withAssets).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('AWS Signer') } }))).toHaveLength(1);

    const preSigned = newStack();
    const pipeline = signer.SigningProfile.fromSigningProfileAttributes(testOwned(preSigned), 'Pipeline', { signingProfileName: 'build', signingProfileVersion: 'v1' });
    const bucket = cdkBucket(preSigned);
    new SecureFunction(preSigned, 'Fn', minimalProps({ code: lambda.Code.fromBucketV2(bucket, 'app.zip', { objectVersion: 'v7' }), trustedSigningProfiles: [pipeline] }));
    expect(Object.keys(Template.fromStack(preSigned).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('AWS Signer') } }))).toHaveLength(0);
  });
});

describe('the deploy-time signer role', () => {
  test('may start jobs only with the stack profile, pinned to its version', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const starts = signerStatements(stack).filter((statement) => statement.Action === 'signer:StartSigningJob');
    expect(starts).toEqual([{
      Effect: 'Allow',
      Action: 'signer:StartSigningJob',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecureFunctionBaselineCodeSigningProfile/), 'Arn'] },
      Condition: { StringEquals: { 'signer:ProfileVersion': { 'Fn::GetAtt': [expect.stringMatching(/^SecureFunctionBaselineCodeSigningProfile/), 'ProfileVersion'] } } },
    }]);
  });

  test('names exactly the staged objects it signs, and writes only under signed-code/', () => {
    const stack = newStack();
    new SecureFunction(stack, 'A', minimalProps({ code: assetWith('exports.handler = async () => "a";') }));
    new SecureFunction(stack, 'B', minimalProps({ code: assetWith('exports.handler = async () => "b";') }));
    new SecureFunction(stack, 'SameAsB', minimalProps({ code: assetWith('exports.handler = async () => "b";') }));
    const keys = Object.values(Template.fromStack(stack).findResources('Custom::SignedLambdaCode')).map((r) => r.Properties.SourceKey as string);
    const statements = signerStatements(stack);
    const reads = statements.filter((s) => JSON.stringify(s.Action) === JSON.stringify(['s3:GetObject', 's3:GetObjectVersion']) && !s.Sid);
    expect(reads.map((s) => s.Resource)).toEqual([...new Set(keys)].map((key) => STAGING_BUCKET_ARN(`/${key}`)));
    expect(statements).toContainEqual({
      Sid: 'WriteSignedCode',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
      Resource: STAGING_BUCKET_ARN('/signed-code/*'),
    });
    expect(statements).toContainEqual({ Sid: 'ListStagingBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: STAGING_BUCKET_ARN('') });
  });

  test('holds nothing else: jobs, its own log group, dead-letter queue, key and tracing', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const actions = signerStatements(stack).map((s) => [s.Sid ?? '-', [s.Action].flat().join(',')]);
    expect(actions).toEqual([
      ['WriteOwnLogGroup', 'logs:CreateLogStream,logs:PutLogEvents'],
      ['SendToOwnDeadLetterQueue', 'sqs:SendMessage'],
      ['UseFunctionKey', 'kms:Decrypt,kms:GenerateDataKey'],
      ['-', 'signer:StartSigningJob'],
      ['DescribeSigningJobs', 'signer:DescribeSigningJob'],
      ['XRayTracing', 'xray:PutTelemetryRecords,xray:PutTraceSegments'],
      ['-', 's3:GetObject,s3:GetObjectVersion'],
      ['WriteSignedCode', 's3:GetObject,s3:GetObjectVersion,s3:PutObject'],
      ['ListStagingBucket', 's3:ListBucket'],
    ]);
  });

  test('may also start jobs with a function\'s own signing profile', () => {
    const stack = newStack();
    const own = new signer.SigningProfile(testOwned(stack), 'TeamProfile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    new SecureFunction(stack, 'Fn', minimalProps({ signingProfile: own }));
    const starts = signerStatements(stack).filter((s) => s.Action === 'signer:StartSigningJob');
    expect(starts.map((s) => s.Condition.StringEquals['signer:ProfileVersion']['Fn::GetAtt'][0])).toEqual([
      expect.stringMatching(/^SecureFunctionBaselineCodeSigningProfile/),
      expect.stringMatching(/^TestOwnedTeamProfile/),
    ]);
  });

  test('carries acknowledgments with reasons for running outside the VPC and for the wildcards Signer forces', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const acks = collectAcks(stack);
    expect(Object.keys(acks).sort()).toEqual([
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/signed-code/*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:signer:<AWS::Region>:<AWS::AccountId>:/signing-jobs/*]',
      'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC',
      'PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC',
      'cdk-validator-cfnguard::lambda_inside_vpc_check',
      // the catalog's rules (LambdaRulesAspect, SecureFunctionChecks)
      'Annotation::lambda-alarms',
      'Annotation::lambda-code-signing',
      'Annotation::lambda-inside-vpc',
    ].sort());
    expect(acks['NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC']).toMatch(/Signer interface endpoint/);
    expect(acks['AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:signer:<AWS::Region>:<AWS::AccountId>:/signing-jobs/*]']).toMatch(/job id/);
  });
});

/** Acknowledgments recorded under the signer (rule id → reason). */
function collectAcks(stack: Stack): Record<string, string> {
  const signerScope = stack.node.findAll().find((c) => c.node.path.endsWith('CodeSigning/Signer'))!;
  const acks: Record<string, string> = {};
  for (const c of signerScope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type === 'aws:cdk:acknowledged-rules') {
        Object.assign(acks, entry.data);
      }
    }
  }
  return acks;
}

function cdkBucket(stack: Stack): s3.IBucket {
  return s3.Bucket.fromBucketName(testOwned(stack), 'Artifacts', 'pipeline-artifacts');
}

describe('signing many packages in one deployment', () => {
  /** The signing steps in creation order, with the steps each waits for. */
  function stepDependencies(stack: Stack): string[][] {
    const steps = Template.fromStack(stack).findResources('Custom::SignedLambdaCode');
    const ids = Object.keys(steps);
    return ids.map((id) => (steps[id].DependsOn ?? []).filter((dep: string) => ids.includes(dep)).map((dep: string) => ids.indexOf(dep)));
  }

  function signing(count: number, baseline?: SecurityBaselineProps): Stack {
    const stack = newStack();
    if (baseline) {
      new SecurityBaseline(stack, 'SecureFunctionBaseline', baseline);
    }
    for (let i = 0; i < count; i++) {
      new SecureFunction(stack, `Fn${i}`, minimalProps({ code: assetWith(`exports.handler = async () => ${i};`) }));
    }
    return stack;
  }

  test('steps run in two chains by default, so no more than the two reserved executions are ever asked for', () => {
    const stack = signing(6);
    // Each step waits for the one two places before it (creation order is the template's).
    expect(stepDependencies(stack).map((deps) => deps.sort())).toEqual([[], [], [0], [1], [2], [3]]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Signs SecureFunction code packages with AWS Signer at deploy time',
      ReservedConcurrentExecutions: 2,
    });
  });

  test('signerConcurrency sets both the chains and the reservation', () => {
    const stack = signing(5, { signerConcurrency: 3 });
    expect(stepDependencies(stack)).toEqual([[], [], [], [0], [1]]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Signs SecureFunction code packages with AWS Signer at deploy time',
      ReservedConcurrentExecutions: 3,
    });
  });

  test('a low-quota account runs the signer unreserved, by name, acknowledged with that reason', () => {
    const stack = signing(3, { signerReservesConcurrency: false });
    expect(stepDependencies(stack)).toEqual([[], [], [0]]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Signs SecureFunction code packages with AWS Signer at deploy time',
      ReservedConcurrentExecutions: Match.absent(),
    });
    const signerFn = stack.node.findChild('SecureFunctionBaseline').node.findChild('CodeSigning').node.findChild('Signer').node.findChild('Function');
    const acknowledged = signerFn.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => Object.keys(m.data)).flat();
    expect(acknowledged).toEqual(expect.arrayContaining([
      'Annotation::lambda-reserved-concurrency',
      'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency',
      'HIPAA.Security::HIPAA.Security-LambdaConcurrency',
    ]));
  });

  test('a DeployTimeSigner built directly refuses a concurrency out of range too', () => {
    const stack = newStack();
    const profile = new signer.SigningProfile(stack, 'Profile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    const baseline = SecurityBaseline.of(stack);
    expect(() => new DeployTimeSigner(stack, 'Signer', {
      profile, key: baseline.key, deadLetterQueue: baseline.terminalDeadLetterQueue, removalPolicy: RemovalPolicy.DESTROY, concurrency: 0,
    })).toThrow(/DeployTimeSigner Test\/Signer: 'concurrency' must be a whole number from 1 to 10 .*got 0/);
  });

  test.each([0, 11, 1.5, -2])('signerConcurrency %p is refused, naming the prop and the range', (value) => {
    const stack = newStack();
    expect(() => new SecurityBaseline(stack, 'Baseline', { signerConcurrency: value }))
      .toThrow(new RegExp(`'signerConcurrency' must be a whole number from 1 to 10 .*got ${value}`));
  });
});
