import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ManagedPolicyRole } from './managed-policy-role';

/** What a hardened function of this library writes to and encrypts with. */
export interface HardenedFunctionParts {
  /** The function's own log group. */
  readonly logGroup: logs.ILogGroup;
  /** Where its failed asynchronous invocations go. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The key of its environment, logs and code package. */
  readonly key: kms.IKey;
}

/**
 * Settings every function of this library renders, SecureFunctions and the
 * library's own alike: active tracing, the dead-letter queue and, for .zip code,
 * the customer-managed key of the code package. They are set on the L1 so that
 * lambda.Function adds no inline policy for them; `grantOwnParts` grants what
 * they need in the role's customer-managed policy instead.
 *
 * @returns whether the code package is encrypted with the key (false for images)
 */
export function renderHardenedSettings(fn: lambda.Function, parts: HardenedFunctionParts): boolean {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  cfn.tracingConfig = { mode: lambda.Tracing.ACTIVE };
  cfn.deadLetterConfig = { targetArn: parts.deadLetterQueue.queueArn };
  const code = Stack.of(fn).resolve(cfn.code) as Record<string, unknown>;
  if (code.imageUri !== undefined) {
    return false;
  }
  cfn.addPropertyOverride('Code.SourceKMSKeyArn', parts.key.keyArn);
  return true;
}

/**
 * Grants a hardened function exactly its own parts: writing to its log group,
 * sending to its dead-letter queue, using its key.
 */
export function grantOwnParts(role: ManagedPolicyRole, parts: HardenedFunctionParts): void {
  role.policy.addStatements(
    new iam.PolicyStatement({
      sid: 'WriteOwnLogGroup',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [parts.logGroup.logGroupArn],
    }),
    new iam.PolicyStatement({
      sid: 'SendToOwnDeadLetterQueue',
      actions: ['sqs:SendMessage'],
      resources: [parts.deadLetterQueue.queueArn],
    }),
    new iam.PolicyStatement({
      sid: 'UseFunctionKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [parts.key.keyArn],
    }),
  );
}
