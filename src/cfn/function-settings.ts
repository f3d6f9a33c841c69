import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { setFunctionDeadLetterQueue, setFunctionLogGroup } from './cdk-internals';
import { dropRedundantDependsOn } from './depends-on';

/** How long function logs are kept unless chosen otherwise: a year (PCI DSS 3.2.1 10.7). */
export const FUNCTION_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** Active X-Ray tracing, as the template writes it. */
export const ACTIVE_TRACING = { Mode: lambda.Tracing.ACTIVE };

/**
 * Turns active tracing on where a function says nothing about it (the
 * LambdaRulesAspect's remediate mode and OrgDefaults; hardened functions always have it).
 *
 * @returns whether it was turned on
 */
export function fillActiveTracing(fn: CfnResource, tracingConfig: unknown): boolean {
  if (tracingConfig !== undefined) {
    return false;
  }
  fn.addPropertyOverride('TracingConfig', ACTIVE_TRACING);
  return true;
}

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
 * Settings every function of this library renders, SecureFunctions, hardened
 * functions and the library's own alike: active tracing, the dead-letter
 * queue, the customer-managed key of the environment and (for .zip code) of
 * the code package, structured JSON logs into its own log group, and
 * termination of recursive loops. They are set on the L1 so that
 * lambda.Function adds no inline policy for them; `grantOwnParts` grants what
 * they need in the role's customer-managed policy instead.
 *
 * @param fn the function
 * @param parts its log group, queue and key
 * @param resource its resource, when it is not `fn`'s default child (a CfnFunction of the app)
 * @returns whether the code package is encrypted with the key (false for images)
 */
export function renderHardenedSettings(fn: lambda.IFunction, parts: HardenedFunctionParts, resource?: lambda.CfnFunction): boolean {
  const cfn = resource ?? fn.node.defaultChild as lambda.CfnFunction;
  renderSettings(cfn, parts);
  if (fn instanceof lambda.Function) {
    // lambda.Function creates CDK's LogRetention function for its logGroup getter unless it has one.
    setFunctionLogGroup(fn, parts.logGroup);
    setFunctionDeadLetterQueue(fn, parts.deadLetterQueue);
  }
  return encryptCodePackage(cfn, parts.key);
}

/** The settings of `renderHardenedSettings`, on a function resource (a CfnFunction of the app's own). */
export function renderSettings(cfn: lambda.CfnFunction, parts: HardenedFunctionParts): void {
  // It waits for its role by construct as well as through its Role property (cfn-lint W3005).
  dropRedundantDependsOn(cfn);
  cfn.tracingConfig = { mode: ACTIVE_TRACING.Mode };
  cfn.deadLetterConfig = { targetArn: parts.deadLetterQueue.queueArn };
  cfn.kmsKeyArn = parts.key.keyArn;
  const logging = Stack.of(cfn).resolve(cfn.loggingConfig) as lambda.CfnFunction.LoggingConfigProperty | undefined;
  cfn.loggingConfig = { ...logging, logFormat: lambda.LoggingFormat.JSON, logGroup: parts.logGroup.logGroupName };
  renderDurableKey(cfn, parts.key);
  // Lambda stops a recursive loop by default; a function that chose to allow one keeps its choice, reported.
  if (cfn.recursiveLoop === lambda.RecursiveLoop.ALLOW) {
    Annotations.of(cfn).addWarningV2('cdk-secure-function:recursive-loop-allowed',
      'RecursiveLoop: Allow is kept as the function chose it: Lambda will not stop a loop of invocations through SQS, SNS or S3; '
      + 'set recursiveLoop: lambda.RecursiveLoop.TERMINATE unless the loop is intended.');
  } else {
    cfn.recursiveLoop = lambda.RecursiveLoop.TERMINATE;
  }
}

/**
 * Puts a durable function's state (checkpoints, inputs, results) under the
 * function's key unless it names a key of its own. Lambda encrypts SnapStart
 * snapshots with the function's KmsKeyArn, which renderSettings always sets.
 *
 * @returns whether the function is durable
 */
export function renderDurableKey(cfn: lambda.CfnFunction, key: kms.IKey): boolean {
  const durable = Stack.of(cfn).resolve(cfn.durableConfig) as Record<string, unknown> | undefined;
  if (durable === undefined) {
    return false;
  }
  if (durable.kmsKeyArn === undefined && durable.KMSKeyArn === undefined) {
    cfn.addPropertyOverride('DurableConfig.KMSKeyArn', key.keyArn);
  }
  return true;
}

/** Encrypts the .zip code package with `key`; false when the code is not a .zip. */
export function encryptCodePackage(cfn: lambda.CfnFunction, key: kms.IKey): boolean {
  if (!isZip(cfn)) {
    return false;
  }
  cfn.addPropertyOverride('Code.SourceKMSKeyArn', key.keyArn);
  return true;
}

function isZip(cfn: lambda.CfnFunction): boolean {
  const code = Stack.of(cfn).resolve(cfn.code) as Record<string, unknown>;
  return code.imageUri === undefined && code.ImageUri === undefined;
}

/**
 * Grants a hardened function exactly its own parts, in its role's
 * customer-managed policy: writing to its log group, sending to its
 * dead-letter queue, using its key.
 */
export function grantOwnParts(
  policy: iam.ManagedPolicy, parts: HardenedFunctionParts,
  bindLogs?: (statement: iam.PolicyStatement) => { statement: iam.PolicyStatement; policy: iam.ManagedPolicy } | undefined,
): void {
  const logWrites = new iam.PolicyStatement({
    sid: 'WriteOwnLogGroup',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [parts.logGroup.logGroupArn],
  });
  // Lambda writes the logs with the function's credentials and its ARN in the request (lambda:SourceFunctionArn).
  const bound = bindLogs?.(logWrites);
  (bound?.policy ?? policy).addStatements(bound?.statement ?? logWrites);
  policy.addStatements(
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
