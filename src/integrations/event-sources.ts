import { Annotations, Arn, ArnFormat, CfnResource, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { invalidInput } from '../cfn/errors';
import { StackIndex } from '../cfn/stack-index';

/** Retries of a failing stream or Kafka batch before it goes to the on-failure destination. */
export const DEFAULT_STREAM_RETRIES = 3;

/** AWS's guidance for SQS event sources: the queue's visibility timeout is at least six times the function's. */
const VISIBILITY_FACTOR = 6;

/** What a source of an event source mapping is, as far as failure handling goes. */
export type SourceKind = 'sqs' | 'stream' | 'kafka' | 'mq' | 'other';

/** What the hardening of a mapping needs to know about its function. */
export interface MappingContext {
  /** The function's dead-letter queue: the on-failure destination unless one is given. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The function's timeout, for the SQS visibility check. */
  readonly timeout: Duration;
  /** The construct that stands for the function, where warnings go. */
  readonly owner: Construct;
  /** How errors name the function, e.g. 'SecureFunction App/Fn'. */
  readonly label: string;
}

/**
 * The failure handling that matches each source, on unless the user chose
 * otherwise:
 * - Kinesis and DynamoDB streams: the function's dead-letter queue as
 *   on-failure destination, bisect on error, bounded retries;
 * - Kafka (MSK and self-managed): the on-failure destination; bisect and
 *   retries only in provisioned mode, the only mode in which Lambda takes them;
 * - SQS: partial batch responses, and a source queue with a redrive policy and
 *   a visibility timeout of at least six times the function timeout (checked);
 *   Lambda takes no on-failure destination for SQS, so that suite rule is
 *   acknowledged with the reason;
 * - Amazon MQ: its broker's own redelivery; the destination rule is acknowledged.
 *
 * @returns the kind of source
 */
export function hardenEventSourceMapping(mapping: lambda.CfnEventSourceMapping, context: MappingContext): SourceKind {
  const kind = sourceKind(mapping);
  const where = `${context.label}: event source mapping ${mapping.node.path}`;
  if (kind === 'stream' || kind === 'kafka') {
    if (mapping.destinationConfig === undefined) {
      mapping.destinationConfig = { onFailure: { destination: context.deadLetterQueue.queueArn } };
    }
    if (kind === 'stream' || mapping.provisionedPollerConfig !== undefined) {
      mapping.bisectBatchOnFunctionError ??= true;
      mapping.maximumRetryAttempts ??= DEFAULT_STREAM_RETRIES;
      if (mapping.maximumRetryAttempts === -1) {
        Annotations.of(context.owner).addWarningV2('cdk-secure-function:unbounded-retries',
          `${where}: retryAttempts -1 retries a failing batch until its records expire, blocking the shard; bound it (the default is ${DEFAULT_STREAM_RETRIES}).`);
      }
    }
    return kind;
  }
  if (kind === 'sqs') {
    if (mapping.functionResponseTypes === undefined) {
      mapping.functionResponseTypes = ['ReportBatchItemFailures'];
    }
    checkSourceQueue(mapping, context.timeout, where, context.owner);
    acknowledgeNoDestination(mapping,
      'Lambda takes no on-failure destination for SQS event sources (DestinationConfig applies to streams and Kafka only); messages that keep failing go to the source queue\'s own redrive policy, which SecureFunction checks.');
    return kind;
  }
  acknowledgeNoDestination(mapping, kind === 'mq'
    ? 'Lambda takes no on-failure destination for Amazon MQ event sources; the broker redelivers failed messages and moves them to its own dead-letter queue.'
    : 'Lambda takes on-failure destinations for Kinesis, DynamoDB Streams and Kafka sources only; this source keeps failed records itself.');
  return kind;
}

/** Whether a mapping reads from SQS, a stream, Kafka, Amazon MQ or another source. */
export function sourceKind(mapping: lambda.CfnEventSourceMapping): SourceKind {
  if (mapping.selfManagedEventSource !== undefined) {
    return 'kafka';
  }
  const stack = Stack.of(mapping);
  const arn = stack.resolve(mapping.eventSourceArn);
  const service = typeof arn === 'string' ? serviceOfArn(arn) : serviceOfReference(stack, arn);
  switch (service) {
    case 'sqs': return 'sqs';
    case 'kinesis':
    case 'dynamodb': return 'stream';
    case 'kafka': return 'kafka';
    case 'mq': return 'mq';
    default: return 'other';
  }
}

/** The service of a literal ARN, or undefined when the text is not an ARN. */
function serviceOfArn(arn: string): string | undefined {
  try {
    return Arn.split(arn, ArnFormat.NO_RESOURCE_NAME).service;
  } catch {
    return undefined;
  }
}

/** The service of the resource a `Fn::GetAtt` or `Ref` points at, or of the literal service in a joined ARN. */
function serviceOfReference(stack: Stack, arn: unknown): string | undefined {
  const resource = referencedResource(stack, arn);
  if (resource) {
    return resource.cfnResourceType.split('::')[1].toLowerCase().replace('msk', 'kafka').replace('amazonmq', 'mq');
  }
  const literal = JSON.stringify(arn).match(/":(sqs|kinesis|dynamodb|kafka|mq):"/);
  return literal?.[1];
}

/** The resource of the stack a resolved `Fn::GetAtt` or `Ref` names. */
function referencedResource(stack: Stack, value: unknown): CfnResource | undefined {
  const intrinsic = value as { 'Fn::GetAtt'?: [string, string]; 'Ref'?: string } | undefined;
  const logicalId = intrinsic?.['Fn::GetAtt']?.[0] ?? intrinsic?.Ref;
  if (typeof logicalId !== 'string') {
    return undefined;
  }
  return StackIndex.resourceOf(stack, logicalId);
}

/**
 * The source queue must have a redrive policy (a message that keeps failing is
 * otherwise retried until its retention ends) and a visibility timeout of at
 * least six times the function timeout (otherwise a message still being
 * processed becomes visible again and runs twice).
 */
function checkSourceQueue(mapping: lambda.CfnEventSourceMapping, timeout: Duration, where: string, owner?: Construct): void {
  const stack = Stack.of(mapping);
  const queue = referencedResource(stack, stack.resolve(mapping.eventSourceArn));
  if (!queue || queue.cfnResourceType !== sqs.CfnQueue.CFN_RESOURCE_TYPE_NAME) {
    if (owner) {
      Annotations.of(owner).addWarningV2('cdk-secure-function:sqs-source-unchecked',
        `${where}: the source queue is not defined in this stack, so its redrive policy and visibility timeout cannot be checked: it needs a redrive policy and a visibility timeout of at least ${VISIBILITY_FACTOR} x the function timeout (${timeout.toSeconds()} s).`);
    }
    return;
  }
  const cfnQueue = queue as sqs.CfnQueue;
  const queuePath = cfnQueue.node.scope?.node.path ?? cfnQueue.node.path;
  if (cfnQueue.redrivePolicy === undefined) {
    throw invalidInput(
      `${where}: source queue ${queuePath}`,
      'must have a redrive policy (a message the function keeps failing on is otherwise received again until the queue\'s retention ends)',
      'no deadLetterQueue',
      'give the queue deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } (an encrypted, TLS-only queue)',
    );
  }
  const visibility = cfnQueue.visibilityTimeout ?? 30;
  const window = typeof mapping.maximumBatchingWindowInSeconds === 'number' ? mapping.maximumBatchingWindowInSeconds : 0;
  const needed = VISIBILITY_FACTOR * timeout.toSeconds() + window;
  const plusWindow = window > 0 ? ` plus the batching window of ${window} s` : '';
  if (!Token.isUnresolved(visibility) && visibility < needed) {
    throw invalidInput(
      `${where}: source queue ${queuePath} visibilityTimeout`,
      `must be at least ${VISIBILITY_FACTOR} times the function timeout of ${timeout.toSeconds()} s${plusWindow} (AWS guidance for SQS event sources: a message still being processed must not become visible and run again)`,
      `${visibility} s`,
      `set the queue's visibilityTimeout to Duration.seconds(${needed}) or more, or shorten the function's timeout`,
    );
  }
}

/**
 * What hardening an existing SQS mapping will check, checked before anything
 * changes (the refusal then leaves the function as it was): the source queue's
 * redrive policy and visibility timeout against the function's timeout.
 */
export function checkEventSourceMapping(mapping: lambda.CfnEventSourceMapping, timeout: Duration, label: string): void {
  if (sourceKind(mapping) === 'sqs') {
    checkSourceQueue(mapping, timeout, `${label}: event source mapping ${mapping.node.path}`);
  }
}

function acknowledgeNoDestination(mapping: IConstruct, reason: string): void {
  Validations.of(mapping).acknowledge({ id: 'Serverless::Serverless-LambdaEventSourceMappingDestination', reason });
}

/** The mappings of `fn` created since `before` was taken. */
export function newMappings(scope: Construct, before: ReadonlySet<IConstruct>): lambda.CfnEventSourceMapping[] {
  return scope.node.findAll().filter((c): c is lambda.CfnEventSourceMapping =>
    CfnResource.isCfnResource(c) && c.cfnResourceType === lambda.CfnEventSourceMapping.CFN_RESOURCE_TYPE_NAME && !before.has(c));
}
