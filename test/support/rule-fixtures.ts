import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

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
