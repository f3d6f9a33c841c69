import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SOURCE_FUNCTION_KEY } from './bound-credentials';
import { wildcardResourceAckId } from '../iam/wildcard-ack-ids';

/** What the durable execution SDK calls with the function's role, and nothing more (AWS's least-privilege policy for durable functions). */
export const DURABLE_ACTIONS: readonly string[] = ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'];

/**
 * Grants a durable function the checkpoint actions on its own executions only
 * (`<function arn>:<version>/durable-execution/...`, every version), in a
 * customer-managed policy of its own: the function's ARN cannot go into the
 * role's policy, which the function waits for, without a dependency cycle.
 * With `bound`, only calls from within the function may use it. Nothing is invoked before the stack completes, so the function does not
 * need to wait for it. The code calls the Lambda API from the function's
 * subnets: the caller connects the statement to its VPC endpoint.
 *
 * @returns the statement granted, or undefined when the function is not durable
 */
export function grantDurableState(
  scope: Construct, fn: lambda.IFunction, resource: lambda.CfnFunction, role: iam.IRole, bound: boolean,
): iam.PolicyStatement | undefined {
  if (Stack.of(resource).resolve(resource.durableConfig) === undefined) {
    return undefined;
  }
  const executions = `${resource.attrArn}:*`;
  const statement = new iam.PolicyStatement({
    sid: 'CheckpointOwnDurableExecutions',
    actions: [...DURABLE_ACTIONS],
    resources: [executions],
    // The SDK checkpoints from within the function: bound to it like the code's other grants.
    conditions: bound ? { ArnEquals: { [SOURCE_FUNCTION_KEY]: resource.attrArn } } : undefined,
  });
  const policy = new iam.ManagedPolicy(scope, 'DurableExecutionPolicy', {
    description: `Checkpoints of the durable executions of ${fn.node.path}`,
    roles: [role],
    statements: [statement],
  });
  Validations.of(policy).acknowledge({
    id: wildcardResourceAckId(Stack.of(scope), executions),
    reason: 'A durable execution\'s ARN carries the version and an execution name and id chosen at invocation: the function\'s own ARN with :* is the narrowest ARN that covers its executions.',
  });
  return statement;
}
