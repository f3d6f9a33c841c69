import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureFunction, SecurityBaseline } from '../../src';
import { PrefixListLookup, PrefixListLookupProps } from '../../src/network/prefix-list-lookup';
import { conformanceFindings, Finding } from '../support/conformance';
import { minimalProps, newStack } from '../support/fixtures';


/** A lookup built directly in `stack`, with its own key and dead-letter queue. */
function lookupIn(stack: Stack, props: Partial<PrefixListLookupProps> = {}): PrefixListLookup {
  return new PrefixListLookup(stack, 'PrefixLists', {
    key: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    deadLetterQueue: new sqs.Queue(stack, 'DeadLetterQueue'),
    removalPolicy: RemovalPolicy.DESTROY,
    ...props,
  });
}

/** The logical id of the lookup role's customer-managed policy. */
function policyLogicalId(stack: Stack): string {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^PrefixListsServiceRole') }] },
  });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.keys(policies)[0];
}

const REGION_NAME = (service: string) => ({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] });

describe('PrefixListLookup: the lookups', () => {
  test('two services share one function and get one custom resource each, named for the stack region', () => {
    const stack = newStack();
    const lookup = lookupIn(stack);

    lookup.prefixListId('s3');
    lookup.prefixListId('dynamodb');

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('Custom::ManagedPrefixList', 2);
    const serviceToken = { 'Fn::GetAtt': [Match.stringLikeRegexp('^PrefixListsFunction'), 'Arn'] };
    template.hasResourceProperties('Custom::ManagedPrefixList', { ServiceToken: serviceToken, PrefixListName: REGION_NAME('s3') });
    template.hasResourceProperties('Custom::ManagedPrefixList', { ServiceToken: serviceToken, PrefixListName: REGION_NAME('dynamodb') });
  });

  test('in a stack with a known region the name is a literal', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    const lookup = lookupIn(stack);

    lookup.prefixListId('s3');

    Template.fromStack(stack).hasResourceProperties('Custom::ManagedPrefixList', { PrefixListName: 'com.amazonaws.eu-west-1.s3' });
  });

  test('returns the PrefixListId attribute, and asking twice for a service reuses its lookup', () => {
    const stack = newStack();
    const lookup = lookupIn(stack);

    const first = lookup.prefixListId('s3');
    const second = lookup.prefixListId('s3');

    expect(second).toBe(first);
    expect(stack.resolve(first)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PrefixListsS3/), 'PrefixListId'] });
    Template.fromStack(stack).resourceCountIs('Custom::ManagedPrefixList', 1);
  });

  test('each lookup runs only once the role\'s policy exists', () => {
    const stack = newStack();
    const lookup = lookupIn(stack);

    lookup.prefixListId('s3');
    lookup.prefixListId('dynamodb');

    const resources = Template.fromStack(stack).findResources('Custom::ManagedPrefixList');
    const policy = policyLogicalId(stack);
    expect(Object.values(resources).map((r) => r.DependsOn)).toEqual([expect.arrayContaining([policy]), expect.arrayContaining([policy])]);
  });

  test('no lookup is created until a service is asked for', () => {
    const stack = newStack();
    lookupIn(stack);

    Template.fromStack(stack).resourceCountIs('Custom::ManagedPrefixList', 0);
  });

  test('a service that cannot be part of a prefix list name is a synth error', () => {
    const stack = newStack();
    const lookup = lookupIn(stack);

    expect(() => lookup.prefixListId('S3 bucket')).toThrow(/'service' must be the service part of an AWS-managed prefix list name.*got 'S3 bucket'. Fix: pass 's3'/);
  });
});

describe('PrefixListLookup: the function', () => {
  test('is hardened: newest Node.js on arm64, 30 s, tracing, one reserved execution, dead-letter queue, JSON logs, encrypted environment and code', () => {
    const stack = newStack();
    lookupIn(stack).prefixListId('s3');

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: lambda.Runtime.NODEJS_24_X.name,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 30,
      MemorySize: 256,
      ReservedConcurrentExecutions: 1,
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetterQueue'), 'Arn'] } },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^PrefixListsLogGroup') } },
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      Code: Match.objectLike({ SourceKMSKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } }),
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PrefixListsServiceRole'), 'Arn'] },
      VpcConfig: Match.absent(),
      CodeSigningConfigArn: Match.absent(),
    });
  });

  test('writes to a log group encrypted with the key, kept for a year', () => {
    const stack = newStack();
    lookupIn(stack);

    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      RetentionInDays: 365,
    });
  });

  test('reserves no execution when reserveConcurrency is false', () => {
    const stack = newStack();
    lookupIn(stack, { reserveConcurrency: false });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
  });

  test('its policy grants exactly DescribeManagedPrefixLists, its own parts and tracing, and the role has nothing else', () => {
    const stack = newStack();
    lookupIn(stack).prefixListId('s3');

    const template = Template.fromStack(stack);
    const statements = template.toJSON().Resources[policyLogicalId(stack)].Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => [s.Sid, [s.Action].flat().join(','), s.Resource])).toEqual([
      ['WriteOwnLogGroup', 'logs:CreateLogStream,logs:PutLogEvents', { 'Fn::GetAtt': [expect.stringMatching(/^PrefixListsLogGroup/), 'Arn'] }],
      ['SendToOwnDeadLetterQueue', 'sqs:SendMessage', { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'] }],
      ['UseFunctionKey', 'kms:Decrypt,kms:GenerateDataKey', { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] }],
      ['DescribeManagedPrefixLists', 'ec2:DescribeManagedPrefixLists', '*'],
      ['XRayTracing', 'xray:PutTelemetryRecords,xray:PutTraceSegments', '*'],
    ]);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.absent(),
    });
  });
});

describe('PrefixListLookup: code signing', () => {
  test('with a code-signing baseline the function deploys its signed asset under the enforcing config', () => {
    const stack = newStack();
    const codeSigning = SecurityBaseline.of(stack).codeSigning;
    const lookup = lookupIn(stack, { codeSigning });

    const asset = lookup.node.findChild('Code') as s3assets.Asset;
    const template = Template.fromStack(stack);
    const signedCode = Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerSignedCode');
    template.hasResourceProperties('Custom::SignedLambdaCode', { SourceKey: stack.resolve(asset.s3ObjectKey) });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('prefix lists'),
      CodeSigningConfigArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningConfig'), 'CodeSigningConfigArn'] },
      Code: {
        S3Bucket: { 'Fn::GetAtt': [signedCode, 'Bucket'] },
        S3Key: { 'Fn::GetAtt': [signedCode, 'Key'] },
        S3ObjectVersion: { 'Fn::GetAtt': [signedCode, 'Version'] },
        SourceKMSKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      },
    });
  });
});

describe('PrefixListLookup: conformance', () => {
  function describeFindings(findings: Finding[]): string[] {
    return findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`);
  }

  test('next to a SecureFunction, signed with the stack baseline, it has zero findings under every suite', () => {
    const findings = conformanceFindings({ recommendedFlags: true }, (stack) => {
      new SecureFunction(stack, 'Fn', minimalProps());
      const baseline = SecurityBaseline.of(stack);
      const lookup = new PrefixListLookup(baseline, 'PrefixLists', {
        key: baseline.key,
        deadLetterQueue: baseline.terminalDeadLetterQueue,
        removalPolicy: RemovalPolicy.RETAIN,
        codeSigning: baseline.codeSigning,
      });
      lookup.prefixListId('s3');
      lookup.prefixListId('dynamodb');
    });

    expect(describeFindings(findings)).toEqual([]);
  });

  test('unsigned and without reserved concurrency, its acknowledgments leave zero findings', () => {
    const findings = conformanceFindings({ recommendedFlags: false }, (stack) => {
      new SecureFunction(stack, 'Fn', minimalProps());
      const baseline = SecurityBaseline.of(stack);
      new PrefixListLookup(baseline, 'PrefixLists', {
        key: baseline.key,
        deadLetterQueue: baseline.terminalDeadLetterQueue,
        removalPolicy: RemovalPolicy.RETAIN,
        reserveConcurrency: false,
      }).prefixListId('s3');
    });

    expect(describeFindings(findings)).toEqual([]);
  });
});
