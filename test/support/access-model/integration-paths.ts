// What the template's integrations of a function mean to do, read from their
// wiring: Lambda's poller reads each event source mapping's source with the
// function's role and sends its failures on; SNS dead-letters a subscription;
// EventBridge Scheduler, Step Functions and S3 notifications invoke their
// targets; Lambda sends asynchronous results to their destinations.
import { ResolvedTemplate } from './cfn-resolver';
import { PathList } from './path-list';
import { ResourceIndex, serviceOf } from './resource-index';
import { asArray } from '../../../src/cfn/references';

/** What Lambda's poller calls on a source, by the source's service; `*` for actions with no resource type. */
const POLLER_ACTIONS: Record<string, { readonly onSource: string[]; readonly onAny?: string[] }> = {
  sqs: { onSource: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] },
  kinesis: { onSource: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards'] },
  dynamodb: { onSource: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream'], onAny: ['dynamodb:ListStreams'] },
  kafka: { onSource: ['kafka:DescribeClusterV2'], onAny: ['kafka:GetBootstrapBrokers'] },
};

/** Actions the poller may be granted besides those it needs (what aws-cdk-lib grants with an event source). */
const POLLER_EXTRAS: Record<string, string[]> = {
  sqs: ['sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl'],
  kinesis: ['kinesis:ListStreams', 'kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'],
  kafka: ['kafka:DescribeCluster', 'kafka:ListScramSecrets', 'kafka-cluster:Connect', 'kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup',
    'kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData', 'kafka-cluster:DescribeClusterDynamicConfiguration'],
};

/** Source access configurations whose URI is a Secrets Manager secret. */
const SECRET_ACCESS = new Set(['BASIC_AUTH', 'SASL_SCRAM_256_AUTH', 'SASL_SCRAM_512_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH', 'SERVER_ROOT_CA_CERTIFICATE']);

/** What the sender of a destination (queue, topic, bus, function) calls on it, and what it calls on its key. */
const SEND: Record<string, { readonly action: string; readonly key?: string[] }> = {
  sqs: { action: 'sqs:SendMessage', key: ['kms:GenerateDataKey', 'kms:Decrypt'] },
  sns: { action: 'sns:Publish', key: ['kms:GenerateDataKey', 'kms:Decrypt'] },
  events: { action: 'events:PutEvents', key: ['kms:GenerateDataKey'] },
  lambda: { action: 'lambda:InvokeFunction' },
  states: { action: 'states:StartExecution' },
};

/** The stream a Kinesis consumer ARN (`stream/name/consumer/c:ts`) belongs to. */
const consumerStream = (arn: string): string | undefined => (/\/consumer\//.test(arn) ? arn.replace(/\/consumer\/.*$/, '') : undefined);

/**
 * Every resource Lambda's poller acts on with the role of function `fnId`,
 * with the actions it may use there: each mapping's source (its stream for a
 * consumer), its secrets, the keys of those, and its on-failure destination.
 * `*` maps to the actions that have no resource type.
 */
export function pollerUse(d: ResolvedTemplate, fnId: string): Map<string, Set<string>> {
  const index = new ResourceIndex(d);
  const use = new Map<string, Set<string>>();
  const allow = (resource: string | undefined, actions: string[]) => {
    if (!resource) return;
    const set = use.get(resource) ?? new Set<string>();
    actions.forEach((a) => set.add(a.toLowerCase()));
    use.set(resource, set);
  };
  const kms = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Encrypt'];
  for (const mapping of d.ofType('AWS::Lambda::EventSourceMapping')) {
    const p = mapping.properties;
    if (index.functionNamed(p.FunctionName)?.logicalId !== fnId) continue;
    const source: string | undefined = p.EventSourceArn;
    const kind = source ? serviceOf(source) : 'kafka';
    // An action with no resource type granted on the source is still the poller's (and refused: reference-check says so).
    const actions = [...(POLLER_ACTIONS[kind]?.onSource ?? []), ...(POLLER_ACTIONS[kind]?.onAny ?? []), ...(POLLER_EXTRAS[kind] ?? [])];
    for (const arn of [source, source && consumerStream(source)]) {
      allow(arn, actions);
      allow(index.keyAt(arn), kms);
    }
    allow('*', POLLER_ACTIONS[kind]?.onAny ?? []);
    for (const access of asArray<any>(p.SourceAccessConfigurations).filter((a) => SECRET_ACCESS.has(a.Type))) {
      allow(access.URI, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
      allow(index.keyAt(access.URI), kms);
    }
    const onFailure: string | undefined = p.DestinationConfig?.OnFailure?.Destination;
    if (onFailure) {
      allow(onFailure, [SEND[serviceOf(onFailure)]?.action ?? 's3:PutObject', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']);
      allow(index.keyAt(onFailure), kms);
    }
  }
  return use;
}

/** The resources Lambda itself sends a function's asynchronous results to (AWS::Lambda::EventInvokeConfig), and their keys. */
export function asyncDestinations(d: ResolvedTemplate, fnId: string): string[] {
  const index = new ResourceIndex(d);
  return d.ofType('AWS::Lambda::EventInvokeConfig')
    .filter((config) => index.functionNamed(config.properties.FunctionName)?.logicalId === fnId)
    .flatMap((config) => [config.properties.DestinationConfig?.OnSuccess?.Destination, config.properties.DestinationConfig?.OnFailure?.Destination])
    .filter((arn): arn is string => typeof arn === 'string')
    // Lambda encrypts for an encrypted destination with the destination's key, too.
    .flatMap((arn) => [arn, index.keyOf(index.find(arn))].filter((v): v is string => typeof v === 'string'));
}

/** Every access the integrations of the template wire. */
export function integrationPaths(d: ResolvedTemplate, index: ResourceIndex): PathList {
  const out = new PathList();
  // Lambda's poller and its asynchronous destinations act with the function's role outside its environment.
  out.outsideEnvironment(() => eventSourceMappings(d, index, out));
  subscriptions(d, index, out);
  schedules(d, index, out);
  stateMachines(d, out);
  bucketNotifications(d, index, out);
  out.outsideEnvironment(() => asyncInvokeConfigs(d, index, out));
  return out;
}

/** `principal` sends to `destination` (a queue, topic, bus, function or state machine) and uses its template key. */
function sendTo(
  out: PathList, index: ResourceIndex, why: string, principal: string, destination: string,
  keyContext: Record<string, string>, context?: Record<string, string>,
): void {
  const send = SEND[serviceOf(destination)];
  if (!send) return;
  out.add(why, principal, send.action, destination, context);
  out.keyUse(`${why} (its key)`, principal, index.keyAt(destination), send.key ?? [], keyContext);
}

const viaService = (d: ResolvedTemplate, service: string) => ({ 'kms:ViaService': `${service}.${d.env.region}.amazonaws.com` });

function eventSourceMappings(d: ResolvedTemplate, index: ResourceIndex, out: PathList): void {
  for (const mapping of d.ofType('AWS::Lambda::EventSourceMapping')) {
    const p = mapping.properties;
    const role = index.roleOfFunction(p.FunctionName);
    if (!role) continue;
    const source: string | undefined = p.EventSourceArn;
    const kind = source ? serviceOf(source) : undefined;
    const actions = kind ? POLLER_ACTIONS[kind] : undefined;
    if (source && actions) {
      const stream = kind === 'kinesis' ? consumerStream(source) : undefined;
      for (const action of actions.onSource) {
        out.add(`Lambda polls the ${kind} source of ${mapping.logicalId}`, role, action, stream ?? source);
      }
      if (stream) out.add(`Lambda reads the stream consumer of ${mapping.logicalId}`, role, 'kinesis:SubscribeToShard', source);
      for (const action of actions.onAny ?? []) out.add(`Lambda lists the ${kind} source of ${mapping.logicalId}`, role, action, '*');
      out.keyUse(`Lambda decrypts the source of ${mapping.logicalId}`, role, index.keyAt(stream ?? source), ['kms:Decrypt'], viaService(d, kind === 'kafka' ? 'kafka' : kind!));
    }
    for (const access of asArray<any>(p.SourceAccessConfigurations).filter((a) => SECRET_ACCESS.has(a.Type))) {
      out.add(`Lambda reads the ${access.Type} secret of ${mapping.logicalId}`, role, 'secretsmanager:GetSecretValue', access.URI);
      out.keyUse(`Lambda decrypts the secret of ${mapping.logicalId}`, role, index.keyAt(access.URI), ['kms:Decrypt'], viaService(d, 'secretsmanager'));
    }
    const onFailure: string | undefined = p.DestinationConfig?.OnFailure?.Destination;
    if (onFailure) {
      sendTo(out, index, `Lambda sends failed batches of ${mapping.logicalId} on`, role, onFailure, viaService(d, serviceOf(onFailure)));
    }
  }
}

function subscriptions(d: ResolvedTemplate, index: ResourceIndex, out: PathList): void {
  for (const subscription of d.ofType('AWS::SNS::Subscription')) {
    const p = subscription.properties;
    const redrive = typeof p.RedrivePolicy === 'string' ? JSON.parse(p.RedrivePolicy) : p.RedrivePolicy;
    const dlq: string | undefined = redrive?.deadLetterTargetArn;
    if (!dlq) continue;
    const source = { 'aws:SourceArn': p.TopicArn, 'aws:SourceAccount': d.env.account };
    sendTo(out, index, `SNS dead-letters subscription ${subscription.logicalId}`, 'sns.amazonaws.com', dlq, source, source);
  }
}

/** The ARN of a schedule's group: what EventBridge Scheduler gives as aws:SourceArn when it assumes the target's role. */
export function scheduleGroupArn(env: { partition: string; region: string; account: string }, groupName: string | undefined): string {
  const group = (groupName ?? 'default').split('schedule-group/').pop();
  return `arn:${env.partition}:scheduler:${env.region}:${env.account}:schedule-group/${group}`;
}

function schedules(d: ResolvedTemplate, index: ResourceIndex, out: PathList): void {
  for (const schedule of d.ofType('AWS::Scheduler::Schedule')) {
    const target = schedule.properties.Target ?? {};
    if (!target.RoleArn) continue;
    // The current Scheduler guide: aws:SourceArn is the schedule group's ARN, not the schedule's.
    const context = { 'aws:SourceAccount': d.env.account, 'aws:SourceArn': scheduleGroupArn(d.env, schedule.properties.GroupName) };
    out.add(`EventBridge Scheduler acts with the role of ${schedule.logicalId}`, 'scheduler.amazonaws.com', 'sts:AssumeRole', target.RoleArn, context);
    sendTo(out, index, `schedule ${schedule.logicalId} invokes its target`, target.RoleArn, target.Arn, viaService(d, serviceOf(target.Arn)));
    const dlq = target.DeadLetterConfig?.Arn;
    if (dlq) sendTo(out, index, `schedule ${schedule.logicalId} dead-letters`, target.RoleArn, dlq, viaService(d, 'sqs'));
  }
}

/** The Lambda functions a state machine definition invokes: optimized `lambda:invoke` tasks and direct function ARNs. */
export function invokedFunctions(definition: any, partitionFunctionArn: (name: string) => string): string[] {
  const found: string[] = [];
  const visit = (value: any): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    if (value.Type === 'Task' && typeof value.Resource === 'string') {
      const resource: string = value.Resource;
      const name = (value.Parameters ?? value.Arguments ?? {}).FunctionName;
      if (/^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource) && typeof name === 'string') found.push(partitionFunctionArn(name));
      else if (/^arn:[^:]+:lambda:[^:]+:\d{12}:function:/.test(resource)) found.push(resource);
    }
    Object.values(value).forEach(visit);
  };
  visit(definition);
  return [...new Set(found)];
}

function stateMachines(d: ResolvedTemplate, out: PathList): void {
  const { partition, region, account } = d.env;
  for (const machine of d.ofType('AWS::StepFunctions::StateMachine')) {
    const p = machine.properties;
    if (!p.RoleArn) continue;
    let text: string | undefined = typeof p.DefinitionString === 'string' ? p.DefinitionString : undefined;
    for (const [key, value] of Object.entries<unknown>(p.DefinitionSubstitutions ?? {})) text = text?.split(`\${${key}}`).join(String(value));
    const definition = text !== undefined ? JSON.parse(text) : p.Definition;
    const machineArn = d.ref(machine.logicalId);
    out.add(`Step Functions acts with the role of ${machine.logicalId}`, 'states.amazonaws.com', 'sts:AssumeRole', p.RoleArn, { 'aws:SourceArn': machineArn, 'aws:SourceAccount': account });
    const asArn = (name: string) => (name.startsWith('arn:') ? name : `arn:${partition}:lambda:${region}:${account}:function:${name}`);
    for (const fn of invokedFunctions(definition, asArn)) {
      out.add(`state machine ${machine.logicalId} invokes ${fn}`, p.RoleArn, 'lambda:InvokeFunction', fn);
    }
  }
}

function bucketNotifications(d: ResolvedTemplate, index: ResourceIndex, out: PathList): void {
  const notify = (why: string, bucketName: string, config: any, keys: { lambda: string; sqs: string; sns: string }) => {
    const source = { 'aws:SourceArn': `arn:${d.env.partition}:s3:::${bucketName}`, 'aws:SourceAccount': d.env.account };
    const targets = [
      ...asArray<any>(config?.LambdaFunctionConfigurations ?? config?.LambdaConfigurations).map((c) => c[keys.lambda]),
      ...asArray<any>(config?.QueueConfigurations).map((c) => c[keys.sqs]),
      ...asArray<any>(config?.TopicConfigurations).map((c) => c[keys.sns]),
    ];
    for (const target of targets.filter((t) => typeof t === 'string')) {
      sendTo(out, index, `S3 notifies ${target} of ${why}`, 's3.amazonaws.com', target, source, source);
    }
  };
  for (const custom of d.ofType('Custom::S3BucketNotifications')) {
    notify(custom.logicalId, custom.properties.BucketName, custom.properties.NotificationConfiguration, { lambda: 'LambdaFunctionArn', sqs: 'QueueArn', sns: 'TopicArn' });
  }
  for (const bucket of d.ofType('AWS::S3::Bucket')) {
    notify(bucket.logicalId, d.ref(bucket.logicalId), bucket.properties.NotificationConfiguration, { lambda: 'Function', sqs: 'Queue', sns: 'Topic' });
  }
}

function asyncInvokeConfigs(d: ResolvedTemplate, index: ResourceIndex, out: PathList): void {
  for (const config of d.ofType('AWS::Lambda::EventInvokeConfig')) {
    const role = index.roleOfFunction(config.properties.FunctionName);
    for (const [outcome, destination] of Object.entries<any>(config.properties.DestinationConfig ?? {})) {
      if (!role || typeof destination?.Destination !== 'string') continue;
      const target: string = destination.Destination;
      sendTo(out, index, `Lambda sends ${outcome} results of ${config.logicalId}`, role, target, viaService(d, serviceOf(target)));
    }
  }
}
