import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as signer from 'aws-cdk-lib/aws-signer';

let counter = 0;

/**
 * A bare CfnFunction (an L1, as a rule sees any function) with a role of its
 * own, plus whatever properties the test sets.
 */
export function cfnFunction(stack: Stack, props: Partial<lambda.CfnFunctionProps> = {}, id = `Fn${counter++}`): lambda.CfnFunction {
  const role = new iam.CfnRole(stack, `${id}Role`, {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  });
  return new lambda.CfnFunction(stack, id, {
    runtime: 'nodejs24.x',
    handler: 'index.handler',
    code: { zipFile: 'exports.handler = async () => 1;' },
    role: role.attrArn,
    ...props,
  });
}

/** A lambda.Function with its own signing profile and code-signing config (the L1s returned). */
export function signedFunction(stack: Stack, id: string, untrustedArtifactOnDeployment?: lambda.UntrustedArtifactOnDeployment) {
  const profile = new signer.SigningProfile(stack, `${id}Profile`, { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
  const config = new lambda.CodeSigningConfig(stack, `${id}Config`, { signingProfiles: [profile], untrustedArtifactOnDeployment });
  const fn = new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), codeSigningConfig: config,
  });
  return { fn: fn.node.defaultChild as lambda.CfnFunction, config: config.node.defaultChild as lambda.CfnCodeSigningConfig };
}

/** A bare code-signing config allowing one profile version, with the given policies. */
export function configWith(stack: Stack, id: string, policies?: lambda.CfnCodeSigningConfig.CodeSigningPoliciesProperty) {
  return new lambda.CfnCodeSigningConfig(stack, id, {
    allowedPublishers: { signingProfileVersionArns: ['arn:aws:signer:us-east-1:123456789012:/signing-profiles/P/abc'] },
    codeSigningPolicies: policies,
  });
}

/** A VPC with public and isolated subnets in two AZs. */
export function vpcOf(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/** An L1 alarm on an AWS/Lambda metric of the named function. */
export function alarmOn(stack: Stack, id: string, metricName: string, functionName: string): cloudwatch.CfnAlarm {
  return new cloudwatch.CfnAlarm(stack, id, {
    namespace: 'AWS/Lambda',
    metricName,
    dimensions: [{ name: 'FunctionName', value: functionName }],
    statistic: 'Sum',
    period: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
  });
}
