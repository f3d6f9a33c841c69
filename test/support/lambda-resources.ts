// L1s of the Lambda resource types that are not functions, with the least the
// schema requires, for the rule tables of the resource rules.
import { Aws, CfnCondition, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** A web function revision; `props` overrides the rest. */
export function webRevision(
  stack: Stack, id: string,
  props: Partial<lambda.CfnWebFunctionRevisionProps> = {},
  service: Partial<lambda.CfnWebFunctionRevision.ServiceConfigProperty> = {},
): lambda.CfnWebFunctionRevision {
  return new lambda.CfnWebFunctionRevision(stack, id, {
    functionName: 'web',
    buildConfig: { codeConfig: { s3Object: { bucket: 'code-bucket', key: 'web.zip' } }, runtimeConfig: { runtime: 'nodejs24.x' } },
    serviceConfig: { executionRoleArn: 'arn:aws:iam::123456789012:role/web', ...service },
    ...props,
  });
}

/**
 * A MicroVM image; `props` overrides the rest. aws-cdk-lib 2.276's validation
 * schema lags its resource specification on KmsKeyIdentifier (F3002): acknowledged.
 */
export function microvmImage(stack: Stack, id: string, props: Partial<lambda.CfnMicrovmImageProps> = {}): lambda.CfnMicrovmImage {
  const image = new lambda.CfnMicrovmImage(stack, id, {
    name: 'image',
    description: 'an image',
    additionalOsCapabilities: [],
    baseImageArn: 'arn:aws:lambda:us-east-1:aws:microvm-image/base',
    baseImageVersion: '1',
    buildRoleArn: 'arn:aws:iam::123456789012:role/build',
    codeArtifact: { uri: 's3://code-bucket/image.zip' },
    cpuConfigurations: [{ architecture: 'ARM_64' }],
    egressNetworkConnectors: [],
    environmentVariables: [],
    hooks: {},
    logging: { disabled: false },
    resources: [{ minimumMemoryInMiB: 512 }],
    ...props,
  });
  if (props.kmsKeyIdentifier !== undefined) {
    Validations.of(image).acknowledge({ id: 'CloudFormation-Validate::F3002', reason: 'the validation schema of aws-cdk-lib 2.276 lags its resource specification on KmsKeyIdentifier' });
  }
  return image;
}

/** A capacity provider; `props` overrides the rest. */
export function capacityProvider(stack: Stack, id: string, props: Partial<lambda.CfnCapacityProviderProps> = {}): lambda.CfnCapacityProvider {
  return new lambda.CfnCapacityProvider(stack, id, {
    permissionsConfig: { capacityProviderOperatorRoleArn: 'arn:aws:iam::123456789012:role/operator' },
    vpcConfig: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] },
    ...props,
  });
}

/** A resource policy with `statements` on the function ARN `arn`. */
export function resourcePolicy(stack: Stack, id: string, statements: unknown, arn = 'arn:aws:lambda:us-east-1:123456789012:function:fn'): lambda.CfnResourcePolicy {
  return new lambda.CfnResourcePolicy(stack, id, { resourceArn: arn, policyDocument: { Version: '2012-10-17', Statement: statements } });
}

/** A value from the parameter `name`, or none (AWS::NoValue) when it is given empty: a condition decides at deployment. */
export function parameterOrNone(stack: Stack, name: string): string {
  const value = new CfnParameter(stack, name).valueAsString;
  const given = new CfnCondition(stack, `${name}Given`, { expression: Fn.conditionNot(Fn.conditionEquals(value, '')) });
  return Fn.conditionIf(given.logicalId, value, Aws.NO_VALUE).toString();
}
