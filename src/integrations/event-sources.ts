import { Annotations, Arn, ArnFormat, CfnResource, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { invalidInput } from '../cfn/errors';
import { recordFix } from '../cfn/fix-notes';
import { StackIndex } from '../cfn/stack-index';
import { findAcknowledgment } from '../rules/acknowledgments';

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
 *   a visibility timeout of at least six times the function timeout (given to
 *   a queue of the stack that lacks them, and reported);
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
    fixSourceQueue(mapping, context.timeout, where, context.owner);
    acknowledgeNoDestination(mapping,
      'Lambda takes no on-failure destination for SQS event sources (DestinationConfig applies to streams and Kafka only); messages that keep failing go to the source queue\'s own redrive policy, which SecureFunction gives a queue of the stack that has none.');
    return kind;
  }
  acknowledgeNoDestination(mapping, kind === 'mq'
    ? 'Lambda takes no on-failure destination for Amazon MQ event sources; the broker redelivers failed messages and moves them to its own dead-letter queue.'
    : 'Lambda takes on-failure destinations for Kinesis, DynamoDB Streams and Kafka sources only; this source keeps failed records itself.');
  return kind;
}

/**
 * Whether a mapping reads from SQS, a stream, Kafka, Amazon MQ or another source.
 *
 * @param index the index of the mapping's stack, when the caller keeps one for a whole pass
 */
export function sourceKind(mapping: lambda.CfnEventSourceMapping, index?: StackIndex): SourceKind {
  if (mapping.selfManagedEventSource !== undefined) {
    return 'kafka';
  }
  const stack = Stack.of(mapping);
  const arn = stack.resolve(mapping.eventSourceArn);
  const service = typeof arn === 'string' ? serviceOfArn(arn) : serviceOfReference(stack, arn, index);
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
function serviceOfReference(stack: Stack, arn: unknown, index?: StackIndex): string | undefined {
  const resource = referencedResource(stack, arn, index);
  if (resource) {
    return resource.cfnResourceType.split('::')[1].toLowerCase().replace('msk', 'kafka').replace('amazonmq', 'mq');
  }
  const literal = JSON.stringify(arn).match(/":(sqs|kinesis|dynamodb|kafka|mq):"/);
  return literal?.[1];
}

/** The resource of the stack a resolved `Fn::GetAtt` or `Ref` names. */
function referencedResource(stack: Stack, value: unknown, index?: StackIndex): CfnResource | undefined {
  const intrinsic = value as { 'Fn::GetAtt'?: [string, string]; 'Ref'?: string } | undefined;
  const logicalId = intrinsic?.['Fn::GetAtt']?.[0] ?? intrinsic?.Ref;
  if (typeof logicalId !== 'string') {
    return undefined;
  }
  return index ? index.resource(logicalId) : StackIndex.resourceOf(stack, logicalId);
}

/** AWS's guidance for SQS sources of Lambda: at least five receives before a message moves to the dead-letter queue. */
const MAX_RECEIVE_COUNT = 5;

/**
 * The source queue needs a redrive policy (a message that keeps failing is
 * otherwise received again until its retention ends) and a visibility
 * timeout of at least six times the function timeout (otherwise a message
 * still being processed becomes visible again and runs twice). A queue of the
 * stack is given what it lacks, each change recorded for the audit report: a
 * dead-letter queue beside it (encrypted like it, TLS-only, 14 days) after
 * five receives, and the visibility timeout AWS asks for. A queue of another
 * stack or account cannot be read: it needs an acknowledgment that it has both
 * (checkForeignSourceQueue).
 */
function fixSourceQueue(mapping: lambda.CfnEventSourceMapping, timeout: Duration, where: string, owner: Construct): void {
  const queue = sourceQueueOf(mapping);
  if (!queue) {
    const ack = checkForeignSourceQueue(mapping.eventSourceArn!, timeout, where, owner);
    Annotations.of(owner).addInfo(`${where}: the source queue is not a queue of this stack; acknowledged at ${ack.constructPath}: ${ack.reason}`);
    return;
  }
  const cfnQueue = queue;
  const holder = cfnQueue.node.id === 'Resource' && cfnQueue.node.scope ? cfnQueue.node.scope : cfnQueue;
  if (cfnQueue.redrivePolicy === undefined) {
    const dlq = deadLetterQueueBeside(holder, cfnQueue);
    cfnQueue.redrivePolicy = { deadLetterTargetArn: dlq.queueArn, maxReceiveCount: MAX_RECEIVE_COUNT };
    recordFix(holder, {
      control: 'SQS event source failure handling',
      change: `gave the source queue a redrive policy to ${dlq.node.path} (encrypted like the queue, TLS-only, kept 14 days) after ${MAX_RECEIVE_COUNT} receives, so that a message the function keeps failing on stops being retried (${where})`,
    });
  }
  const visibility = cfnQueue.visibilityTimeout ?? 30;
  const window = typeof mapping.maximumBatchingWindowInSeconds === 'number' ? mapping.maximumBatchingWindowInSeconds : 0;
  const needed = VISIBILITY_FACTOR * timeout.toSeconds() + window;
  if (!Token.isUnresolved(visibility) && !Token.isUnresolved(needed) && visibility < needed) {
    cfnQueue.visibilityTimeout = needed;
    const plusWindow = window > 0 ? ` plus the batching window of ${window} s` : '';
    recordFix(holder, {
      control: 'SQS event source visibility timeout',
      change: `raised the source queue's visibility timeout from ${visibility} s to ${needed} s, ${VISIBILITY_FACTOR} times the function timeout of ${timeout.toSeconds()} s${plusWindow} (AWS guidance: a message still being processed must not become visible and run again) (${where})`,
    });
  }
}

/** The id under which an SQS source queue of another stack or account is acknowledged. */
export const FOREIGN_SQS_SOURCE = 'cdk-secure-function:sqs-source-unchecked';

/** The source queue of an SQS mapping when it is a queue of the mapping's stack. */
function sourceQueueOf(mapping: lambda.CfnEventSourceMapping): sqs.CfnQueue | undefined {
  const stack = Stack.of(mapping);
  const queue = referencedResource(stack, stack.resolve(mapping.eventSourceArn));
  return queue?.cfnResourceType === sqs.CfnQueue.CFN_RESOURCE_TYPE_NAME ? queue as sqs.CfnQueue : undefined;
}

/**
 * A source queue of another stack or account cannot be read nor given what it
 * lacks: its owner must say it has a redrive policy and the visibility timeout
 * the function needs, as an acknowledgment with the reason; without one it is
 * refused, naming that one line. Checked before anything changes.
 *
 * @returns the acknowledgment
 */
export function checkForeignSourceQueue(queueArn: string, timeout: Duration, where: string, owner: IConstruct) {
  const ack = findAcknowledgment(FOREIGN_SQS_SOURCE, owner);
  if (ack) {
    return ack;
  }
  const needed = VISIBILITY_FACTOR * timeout.toSeconds();
  throw invalidInput(`${where}: source queue`,
    `is not a queue of this stack, so the library can neither check nor give it a redrive policy and a visibility timeout of at least ${VISIBILITY_FACTOR} x the function timeout (${needed} s)`,
    JSON.stringify(Stack.of(owner).resolve(queueArn)),
    `define the queue in this stack, or say it has both: Validations.of(fn).acknowledge({ id: '${FOREIGN_SQS_SOURCE}', reason: 'redrive policy to <dlq>, visibility timeout ${needed} s' })`);
}

/** Whether an SQS mapping's queue is one of its stack (the library can check and fix it). */
export function isForeignSqsSource(mapping: lambda.CfnEventSourceMapping): boolean {
  return sourceKind(mapping) === 'sqs' && sourceQueueOf(mapping) === undefined;
}

/** A dead-letter queue for `source`, beside it: the same kind (FIFO or not) and encryption, TLS-only, 14 days. */
function deadLetterQueueBeside(holder: IConstruct, source: sqs.CfnQueue): sqs.Queue {
  const scope = holder.node.scope as Construct;
  const id = `${holder.node.id}DeadLetterQueue`;
  const existing = scope.node.tryFindChild(id);
  if (existing instanceof sqs.Queue) {
    return existing;
  }
  const dlq = new sqs.Queue(scope, id, {
    fifo: source.fifoQueue === true ? true : undefined,
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    // Marks it a dead-letter queue (Control Tower's CT.SQS.PR.1 asks one of each queue). SQS lets
    // only queues of this account and region redrive into it; naming the source would make the two
    // depend on each other.
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
  });
  Validations.of(dlq).acknowledge({
    id: 'Serverless::Serverless-SQSRedrivePolicy',
    reason: `This is the dead-letter queue of ${holder.node.path}: messages its consumer keeps failing on end here, and a redrive policy on it would need another queue without end.`,
  });
  if (source.kmsMasterKeyId !== undefined) {
    const cfn = dlq.node.defaultChild as sqs.CfnQueue;
    cfn.sqsManagedSseEnabled = undefined;
    cfn.kmsMasterKeyId = source.kmsMasterKeyId;
    cfn.kmsDataKeyReusePeriodSeconds = source.kmsDataKeyReusePeriodSeconds;
  }
  return dlq;
}

function acknowledgeNoDestination(mapping: IConstruct, reason: string): void {
  Validations.of(mapping).acknowledge({ id: 'Serverless::Serverless-LambdaEventSourceMappingDestination', reason });
}

/** The mappings of `fn` created since `before` was taken. */
export function newMappings(scope: Construct, before: ReadonlySet<IConstruct>): lambda.CfnEventSourceMapping[] {
  return scope.node.findAll().filter((c): c is lambda.CfnEventSourceMapping =>
    CfnResource.isCfnResource(c) && c.cfnResourceType === lambda.CfnEventSourceMapping.CFN_RESOURCE_TYPE_NAME && !before.has(c));
}
