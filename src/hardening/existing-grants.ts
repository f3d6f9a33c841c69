import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { HardeningOptions } from './hardening-options';
import { StackIndex } from '../cfn/stack-index';
import { needsPath, noPrivatePathFrom, unreachableError } from '../network/endpoint-connector';

/**
 * Refuses, before anything changes, a grant the function's role already holds
 * (its DefaultPolicy, which the hardening moves into its customer-managed
 * policy and connects) that could not be reached from the isolated subnets:
 * the same decision the endpoint connector makes for it afterwards, made first
 * so that a refused function is left as it was.
 */
export function checkExistingGrants(fn: lambda.Function, props: HardeningOptions): void {
  if (props.createVpcEndpoints === false || !(fn.role instanceof iam.Role)) {
    return;
  }
  const policy = fn.role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy)) {
    return;
  }
  const stack = Stack.of(fn);
  type StatementJson = { Effect?: string; Action?: string | string[]; Condition?: Record<string, Record<string, unknown>> };
  const statements = ((stack.resolve(policy.document.toJSON()) as { Statement?: StatementJson[] } | undefined)?.Statement ?? []);
  const allowed = new Set(props.servicesWithoutEndpoint ?? []);
  for (const statement of statements.filter((s) => s.Effect !== 'Deny')) {
    for (const action of [statement.Action ?? []].flat()) {
      const prefix = action.split(':')[0].toLowerCase();
      if (allowed.has(prefix) || !needsPath(statement, action)) {
        continue;
      }
      const why = noPrivatePathFrom(stack, action);
      if (why !== undefined) {
        throw unreachableError(fn, prefix, action, why);
      }
    }
  }
}

/** What Lambda's pollers call on a source (CDK's event sources grant these), and the key that decrypts it. */
const POLLER_ACTIONS = new RegExp('^(sqs:(ReceiveMessage|ChangeMessageVisibility|GetQueueUrl|DeleteMessage|GetQueueAttributes)'
  + '|kinesis:(DescribeStream|DescribeStreamSummary|GetRecords|GetShardIterator|ListShards|ListStreams|SubscribeToShard|DescribeStreamConsumer)'
  + '|dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)|kms:Decrypt)$', 'i');

/**
 * Tells, among the statements the role already holds, those an event source
 * wired before the hardening granted to Lambda's poller (outside the VPC: they
 * need no endpoint) from the code's: only poller actions, only on the sources
 * of the function's mappings and the keys those sources are encrypted with.
 */
export function pollerGrantsOf(fn: lambda.Function, mappings: readonly lambda.EventSourceMapping[]): (statement: iam.PolicyStatement) => boolean {
  const stack = Stack.of(fn);
  const key = (value: unknown) => JSON.stringify(stack.resolve(value));
  const sources = new Set<string>();
  for (const mapping of mappings) {
    const cfn = mapping.node.defaultChild as lambda.CfnEventSourceMapping;
    if (cfn.eventSourceArn === undefined) {
      continue;
    }
    sources.add(key(cfn.eventSourceArn));
    const source = sourceResource(stack, stack.resolve(cfn.eventSourceArn));
    const encryption = source?.encryptionKey;
    if (encryption !== undefined) {
      sources.add(key(encryption));
    }
  }
  return (statement) => sources.size > 0
    && statement.actions.length > 0 && statement.actions.every((action) => POLLER_ACTIONS.test(action))
    && statement.resources.length > 0 && statement.resources.every((resource) => sources.has(key(resource)));
}

/** The queue or stream of the stack a resolved source ARN points at, with the key it is encrypted with. */
function sourceResource(stack: Stack, arn: unknown): { readonly encryptionKey?: unknown } | undefined {
  const logicalId = (arn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
  if (logicalId === undefined) {
    return undefined;
  }
  const resource = StackIndex.resourceOf(stack, logicalId);
  if (resource instanceof sqs.CfnQueue) {
    return { encryptionKey: resource.kmsMasterKeyId };
  }
  if (resource instanceof kinesis.CfnStream) {
    return { encryptionKey: (resource.streamEncryption as kinesis.CfnStream.StreamEncryptionProperty | undefined)?.keyId };
  }
  return undefined;
}
