import { Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnforcementMode, LambdaRulesAspect } from '../../src';

/** LambdaRulesAspect's messages (they start with `[rule-id]`) reported as errors in a stack, as `rule-id path`. */
export function ruleErrors(stack: Stack): string[] {
  return Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^\\[')).map((m) => `${ruleOf(m.entry.data)} ${m.id}`).sort();
}

/** Its messages reported as warnings, as `rule-id path`. */
export function ruleWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('^\\[')).map((m) => `${ruleOf(m.entry.data)} ${m.id}`).sort();
}

function ruleOf(message: unknown): string {
  return /^\[([^\]]+)\]/.exec(String(message))?.[1] ?? '?';
}

/** Adds LambdaRulesAspect to the stack's app and returns it. */
export function enforceRules(stack: Stack, mode?: EnforcementMode): LambdaRulesAspect {
  const aspect = new LambdaRulesAspect({ mode });
  Aspects.of(stack.node.root).add(aspect);
  return aspect;
}

/**
 * A plain lambda.Function hardened by hand on every blocking rule: isolated
 * subnets, no egress, customer key for environment and logs, log retention,
 * reserved concurrency, a dead-letter queue, active tracing, an enforcing
 * code-signing config and pre-signed code, a newest runtime.
 */
export function handHardenedFunction(scope: Construct, id: string): lambda.Function {
  const vpc = new ec2.Vpc(scope, `${id}Vpc`, {
    maxAzs: 2,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const key = new kms.Key(scope, `${id}Key`, { enableKeyRotation: true });
  const profile = new signer.SigningProfile(scope, `${id}Profile`, { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
  const codeSigningConfig = new lambda.CodeSigningConfig(scope, `${id}Csc`, {
    signingProfiles: [profile],
    untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
  });
  const artifacts = s3.Bucket.fromBucketName(scope, `${id}Artifacts`, 'signed-artifacts');
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromBucketV2(artifacts, 'app.zip', { objectVersion: 'v1' }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    allowAllOutbound: false,
    environment: { STAGE: 'prod' },
    environmentEncryption: key,
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR }),
    reservedConcurrentExecutions: 5,
    deadLetterQueue: new sqs.Queue(scope, `${id}Dlq`, { encryptionMasterKey: key, encryption: sqs.QueueEncryption.KMS }),
    tracing: lambda.Tracing.ACTIVE,
    codeSigningConfig,
  });
  fn.addPermission('FromEvents', { principal: new iam.ServicePrincipal('events.amazonaws.com'), sourceArn: 'arn:aws:events:eu-west-1:111111111111:rule/orders' });
  return fn;
}
