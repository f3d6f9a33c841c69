import { CloudFormationValidatePlugin, Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { SecureFunction, SecurityBaseline } from '../src';
import { conformanceFindings, Finding } from './support/conformance';
import { assetWith, minimalProps, testOwned, userVpc } from './support/fixtures';

// One engine per test file: its WASM memory is never given back.
const cfnValidate = new CloudFormationValidatePlugin();

const scenarios: Record<string, (stack: Stack) => void> = {
  'a default SecureFunction': (stack) => {
    new SecureFunction(stack, 'Default', minimalProps());
  },
  'a SecureFunction with a secret and a parameter': (stack) => {
    const owned = testOwned(stack);
    new SecureFunction(stack, 'WithSecrets', minimalProps({
      secrets: { DB_SECRET_ARN: new secretsmanager.Secret(owned, 'DbSecret') },
      parameters: { API_KEY_PARAMETER: new ssm.StringParameter(owned, 'ApiKey', { stringValue: 'not-a-secret-name' }) },
    }));
  },
  'two SecureFunctions sharing a user-provided VPC': (stack) => {
    const vpc = userVpc(stack);
    const secret = new secretsmanager.Secret(testOwned(stack), 'Shared');
    new SecureFunction(stack, 'First', minimalProps({ vpc, secrets: { SHARED_SECRET: secret } }));
    new SecureFunction(stack, 'Second', minimalProps({ vpc, secrets: { SHARED_SECRET: secret } }));
  },
  'a SecureFunction deploying code its pipeline signed': (stack) => {
    const owned = testOwned(stack);
    const artifacts = s3.Bucket.fromBucketName(owned, 'Artifacts', 'pipeline-signed-artifacts');
    new SecureFunction(stack, 'PreSigned', minimalProps({
      code: lambda.Code.fromBucketV2(artifacts, 'orders/1.4.2.zip', { objectVersion: 'v3.Lb1' }),
      trustedSigningProfiles: [signer.SigningProfile.fromSigningProfileAttributes(owned, 'Pipeline', { signingProfileName: 'build', signingProfileVersion: 'v1AbCdEf' })],
    }));
  },
  'SecureFunctions signing with their own profile and trusting a pipeline profile': (stack) => {
    const owned = testOwned(stack);
    const team = new signer.SigningProfile(owned, 'TeamProfile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    new SecureFunction(stack, 'OwnProfile', minimalProps({ signingProfile: team }));
    new SecureFunction(stack, 'TrustsPipeline', minimalProps({
      trustedSigningProfiles: [signer.SigningProfile.fromSigningProfileAttributes(owned, 'Pipeline', { signingProfileName: 'build', signingProfileVersion: 'v1AbCdEf' })],
    }));
  },
  'SecureFunctions with every opt-in on: dashboard, recorded invocations, canary deployment': (stack) => {
    new SecureFunction(stack, 'Everything', minimalProps({
      dashboard: true,
      recordInvocations: true,
      deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    }));
    new SecureFunction(stack, 'Recorded', minimalProps({ recordInvocations: true, dashboard: true }));
  },
  'a stack that opts in to AWS Config rules (a recorder runs), decided per region at deployment': (stack) => {
    new SecurityBaseline(stack, 'Baseline', { configRules: true });
    new SecureFunction(stack, 'Watched', minimalProps());
  },
  'a low-quota account: the signer unreserved, in three chains, signing four packages': (stack) => {
    new SecurityBaseline(stack, 'Baseline', { signerReservesConcurrency: false, signerConcurrency: 3 });
    for (let i = 0; i < 4; i++) {
      new SecureFunction(stack, `Package${i}`, minimalProps({ code: assetWith(`exports.handler = async () => ${i};`) }));
    }
  },
};

function describeFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`);
}

describe.each([
  ['a bare App', false],
  ['an App with every currently recommended feature flag', true],
])('conformance in %s', (_name, recommendedFlags) => {
  test.each(Object.keys(scenarios))('%s has zero findings under the five cdk-nag packs, Control Tower guard rules and CloudFormation validation', (scenario) => {
    const findings = conformanceFindings(cfnValidate, { recommendedFlags }, scenarios[scenario]);
    expect(describeFindings(findings)).toEqual([]);
  });
});

describe('the conformance harness', () => {
  test('reports the findings of a plain lambda.Function, so a clean result means something', () => {
    const findings = conformanceFindings(cfnValidate, { recommendedFlags: false }, (stack) => {
      new lambda.Function(stack, 'Plain', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      });
    });
    const rules = findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5-LambdaDLQ',
      'Serverless-LambdaTracing',
      'lambda_inside_vpc_check',
    ]));
    // 13 from the five packs and Control Tower, 9 from the library's own catalog (6 block, 3 warn).
    expect(findings.filter((f) => f.suite !== 'SecureFunction')).toHaveLength(13);
    expect(findings.filter((f) => f.suite === 'SecureFunction').map((f) => f.rule).sort()).toEqual([
      'SecureFunction-lambda-alarms',
      'SecureFunction-lambda-code-package-cmk',
      'SecureFunction-lambda-code-signing',
      'SecureFunction-lambda-config-rules',
      'SecureFunction-lambda-dlq',
      'SecureFunction-lambda-inside-vpc',
      'SecureFunction-lambda-log-group',
      'SecureFunction-lambda-reserved-concurrency',
      'SecureFunction-lambda-tracing',
    ]);
  });
});
