import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { assetWith, minimalProps, testOwned, userVpc } from './fixtures';
import { BaselineKey, SecureFunction, SecurityBaseline } from '../../src';

/**
 * The conformance scenarios: each builds what a user would into a stack. The
 * conformance suite judges them under every rule suite, the access model proves
 * that what they wire works.
 */
export const SCENARIOS: Record<string, (stack: Stack) => void> = {
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
  'a SecureFunction reading a secret encrypted with the team\'s own key': (stack) => {
    const owned = testOwned(stack);
    // A key a regulated team would have: grants only for AWS resources (CT.KMS.PR.3).
    const key = new BaselineKey(owned, 'TeamKey', { description: 'The team\'s secrets', forFunctions: false });
    new SecureFunction(stack, 'CustomerKeySecret', minimalProps({
      secrets: { DB_SECRET_ARN: new secretsmanager.Secret(owned, 'Encrypted', { encryptionKey: key }) },
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
  'a stack that reaches S3 and DynamoDB through interface endpoints, by choice': (stack) => {
    new SecurityBaseline(stack, 'Baseline', { interfaceEndpointsForS3AndDynamoDb: true });
    const fn = new SecureFunction(stack, 'Interfaced', minimalProps());
    const owned = testOwned(stack);
    new s3.Bucket(owned, 'Data', { enforceSSL: true }).grantRead(fn);
    new dynamodb.Table(owned, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }).grantReadData(fn);
  },
  'a low-quota account: the signer unreserved, in three chains, signing four packages': (stack) => {
    new SecurityBaseline(stack, 'Baseline', { signerReservesConcurrency: false, signerConcurrency: 3 });
    for (let i = 0; i < 4; i++) {
      new SecureFunction(stack, `Package${i}`, minimalProps({ code: assetWith(`exports.handler = async () => ${i};`) }));
    }
  },
  'SecureFunctions with the newer Lambda settings: SnapStart, durable state, quiet logs, runtime updates with the function, a larger /tmp': (stack) => {
    new SecureFunction(stack, 'Snapped', minimalProps({
      runtime: lambda.Runtime.JAVA_25, handler: 'example.Handler::handleRequest', snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS,
    }));
    new SecureFunction(stack, 'Durable', minimalProps({ durableConfig: { executionTimeout: Duration.hours(2), retentionPeriod: Duration.days(30) } }));
    new SecureFunction(stack, 'Tuned', minimalProps({
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      runtimeManagementMode: lambda.RuntimeManagementMode.FUNCTION_UPDATE,
      ephemeralStorageSize: Size.gibibytes(1),
    }));
  },
};
