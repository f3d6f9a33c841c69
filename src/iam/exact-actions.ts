import { Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ActionReference, compileResource, intersects, serviceReference, ServiceReference } from './iam-reference';
import { StackIndex } from '../cfn/stack-index';

// Rewrites an Allow statement into equivalent statements with exact actions only, so that a
// grant's `s3:GetObject*` or `kms:ReEncrypt*` does not trip AwsSolutions-IAM5, and drops the
// (action, resource) pairs that grant nothing (`s3:PutObject` on a bucket ARN). The actions,
// their resource types and ARN formats come from AWS's Service Authorization Reference
// (iam-reference.generated.ts). Whatever cannot be judged is kept as it is.

/** An action name as CDK's PolicyStatement accepts it. */
const CDK_ACTION_NAME = /^[a-zA-Z0-9]+$/;

/** One action of the output: `reference` is absent when the action is unknown. */
interface ExpandedAction {
  readonly text: string;
  readonly service?: ServiceReference;
  readonly reference?: ActionReference;
}


function expandAction(action: string): ExpandedAction[] {
  const colon = action.indexOf(':');
  const prefix = action.slice(0, Math.max(colon, 0));
  const service = Token.isUnresolved(action) || /[*?]/.test(prefix) ? undefined : serviceReference(prefix);
  if (!service) return [{ text: action }];
  const name = action.slice(colon + 1);
  const at = (reference: ActionReference) => ({ text: `${prefix.toLowerCase()}:${reference.name}`, service, reference });
  if (!/[*?]/.test(name)) {
    const reference = service.actions.get(name.toLowerCase());
    return [reference ? at(reference) : { text: action }];
  }
  const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const matches = [...service.actions.values()].filter((reference) => pattern.test(reference.name));
  // A name CDK would reject (vpc-lattice has one with a '-') keeps the pattern as written.
  if (matches.length === 0 || matches.some((reference) => !CDK_ACTION_NAME.test(reference.name))) return [{ text: action }];
  return matches.map(at);
}

/** Whether `action` can apply to a resource written as any of `candidates` (compiled). */
function applies(action: ExpandedAction, candidates: readonly string[]): boolean {
  const { service, reference } = action;
  if (!service || !reference || candidates.length === 0) return true;
  return candidates.some((candidate) => intersects(candidate, '*')
    || reference.types.some((type) => intersects(candidate, service.formats[type])));
}

const PSEUDO_PARAMETERS: { readonly [name: string]: string[] } = {
  'AWS::Partition': ['aws'],
  'AWS::Region': ['us-east-1'],
  'AWS::AccountId': ['123456789012'],
  'AWS::URLSuffix': ['amazonaws.com'],
  'AWS::NoValue': [],
};

function sampleArn(service: string, resource: string, region = 'us-east-1'): string {
  return `arn:aws:${service}:${region}:123456789012:${resource}`;
}

/** What `Ref` and `Fn::GetAtt` give for the common resource types, with sample names. */
const SAMPLES: { readonly [cfnType: string]: { readonly [attribute: string]: string } } = {
  'AWS::S3::Bucket': { Ref: 'sample-bucket', Arn: 'arn:aws:s3:::sample-bucket' },
  'AWS::DynamoDB::Table': {
    Ref: 'SampleTable',
    Arn: sampleArn('dynamodb', 'table/SampleTable'),
    StreamArn: sampleArn('dynamodb', 'table/SampleTable/stream/2020-01-01T00:00:00.000'),
  },
  'AWS::DynamoDB::GlobalTable': {
    Ref: 'SampleTable',
    Arn: sampleArn('dynamodb', 'table/SampleTable'),
    StreamArn: sampleArn('dynamodb', 'table/SampleTable/stream/2020-01-01T00:00:00.000'),
  },
  'AWS::Kinesis::Stream': { Ref: 'sample-stream', Arn: sampleArn('kinesis', 'stream/sample-stream') },
  'AWS::SQS::Queue': {
    Ref: 'https://sqs.us-east-1.amazonaws.com/123456789012/sample-queue',
    QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/sample-queue',
    QueueName: 'sample-queue',
    Arn: sampleArn('sqs', 'sample-queue'),
  },
  'AWS::SNS::Topic': { Ref: sampleArn('sns', 'sample-topic'), TopicArn: sampleArn('sns', 'sample-topic'), TopicName: 'sample-topic' },
  'AWS::KMS::Key': {
    Ref: '1234abcd-12ab-34cd-56ef-1234567890ab',
    KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    Arn: sampleArn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'),
  },
  'AWS::SecretsManager::Secret': { Ref: sampleArn('secretsmanager', 'secret:sample-secret-AbCdEf'), Id: sampleArn('secretsmanager', 'secret:sample-secret-AbCdEf') },
  'AWS::StepFunctions::StateMachine': { Ref: sampleArn('states', 'stateMachine:SampleStateMachine'), Arn: sampleArn('states', 'stateMachine:SampleStateMachine') },
  'AWS::Logs::LogGroup': { Ref: 'sample-log-group', Arn: sampleArn('logs', 'log-group:sample-log-group:*') },
  'AWS::Events::EventBus': { Ref: 'sample-bus', Name: 'sample-bus', Arn: sampleArn('events', 'event-bus/sample-bus') },
  'AWS::Lambda::Function': { Ref: 'sample-function', Arn: sampleArn('lambda', 'function:sample-function') },
  'AWS::Lambda::Alias': { Ref: sampleArn('lambda', 'function:sample-function:live'), AliasArn: sampleArn('lambda', 'function:sample-function:live') },
  'AWS::Lambda::Version': { Ref: sampleArn('lambda', 'function:sample-function:1'), FunctionArn: sampleArn('lambda', 'function:sample-function:1') },
  // The name may start with '/', and CDK joins it to 'parameter' with or without one: unknown.
  'AWS::SSM::Parameter': { Ref: '*' },
  'AWS::KinesisFirehose::DeliveryStream': { Ref: 'sample-delivery-stream', Arn: sampleArn('firehose', 'deliverystream/sample-delivery-stream') },
  'AWS::ECR::Repository': { Ref: 'sample-repository', Arn: sampleArn('ecr', 'repository/sample-repository') },
};

/** Renders a resolved CloudFormation value as the strings it may be; '*' stands for what is unknown. */
class Renderer {
  private index?: StackIndex;

  constructor(private readonly stack: Stack) {}

  public render(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length !== 1) return ['*'];
    const [[fn, arg]] = Object.entries(value);
    const args = Array.isArray(arg) ? arg : [];
    switch (fn) {
      case 'Ref': return typeof arg === 'string' ? this.attribute(arg, 'Ref') : ['*'];
      case 'Fn::GetAtt': return typeof args[0] === 'string' && typeof args[1] === 'string' ? this.attribute(args[0], args[1]) : ['*'];
      case 'Fn::If': return args.length === 3 ? [...this.render(args[1]), ...this.render(args[2])] : ['*'];
      case 'Fn::Join': return typeof args[0] === 'string' && Array.isArray(args[1]) ? this.join(args[0], args[1].map((part) => this.render(part))) : ['*'];
      case 'Fn::Sub': return this.sub(typeof arg === 'string' ? arg : args[0], args[1] ?? {});
      default: return ['*'];
    }
  }

  private attribute(logicalId: string, attribute: string): string[] {
    const pseudo = attribute === 'Ref' ? PSEUDO_PARAMETERS[logicalId] : undefined;
    if (pseudo) return pseudo;
    const sample = SAMPLES[this.cfnType(logicalId) ?? '']?.[attribute];
    return [sample ?? '*'];
  }

  private join(separator: string, parts: string[][]): string[] {
    let combinations: string[][] = [[]];
    for (const options of parts) {
      const choices = options.length > 0 ? options : ['*'];
      combinations = combinations.flatMap((head) => choices.map((choice) => [...head, choice]));
      if (combinations.length > 16) return ['*'];
    }
    return combinations.map((combination) => combination.join(separator));
  }

  private sub(template: unknown, variables: { [name: string]: unknown }): string[] {
    if (typeof template !== 'string') return ['*'];
    return [template.replace(/\$\{([^}]*)\}/g, (match, name: string) => {
      if (name.startsWith('!')) return match;
      const [id, ...attribute] = name.split('.');
      const options = name in variables ? this.render(variables[name]) : this.attribute(id, attribute.length ? attribute.join('.') : 'Ref');
      return options.length === 1 ? options[0] : '*';
    })];
  }

  private cfnType(logicalId: string): string | undefined {
    this.index ??= StackIndex.build(this.stack);
    return this.index.resource(logicalId)?.cfnResourceType;
  }
}

interface JudgedResource {
  readonly resource: string;
  /** Actions that can apply to it, sorted. */
  readonly kept: readonly string[];
  /** It may resolve to AWS::NoValue (now or later, as a Lazy DynamoDB index ARN does). */
  readonly vanishes: boolean;
  /** A Lazy value, left unresolved: it takes the actions of the first group it joins. */
  readonly lazy: boolean;
  /** It resolves to nothing now (a table's stream ARN when it has none). */
  readonly empty?: boolean;
}

function judgeResource(renderer: Renderer, stack: Stack, resource: string, actions: readonly ExpandedAction[]): JudgedResource {
  let candidates = [resource];
  let vanishes = false;
  let empty = false;
  if (isLazy(resource)) {
    // Never resolved here: a Lazy computes once and keeps its value, so resolving it now
    // would freeze what is added later (a table's index ARN, once it has an index).
    return { resource, vanishes: true, lazy: true, kept: [] };
  }
  if (Token.isUnresolved(resource)) {
    try {
      const resolved = stack.resolve(resource);
      empty = resolved === null || resolved === undefined || JSON.stringify(resolved) === '{"Ref":"AWS::NoValue"}';
      vanishes = empty || JSON.stringify(resolved).includes('AWS::NoValue');
      candidates = resolved === null || resolved === undefined ? [] : [...new Set(renderer.render(resolved))];
    } catch {
      candidates = ['*']; // e.g. a reference to another stack, resolved only when the app is synthesized
    }
  }
  const compiled = candidates.map(compileResource);
  return { resource, vanishes, empty, lazy: false, kept: actions.filter((action) => applies(action, compiled)).map((action) => action.text) };
}

/**
 * Whether `resource` holds a cached Lazy value (CDK's `Lazy.string`): resolved once, it
 * keeps that value. Uncached ones, and CDK's derived boxes, compute again each time.
 */
function isLazy(resource: string): boolean {
  return Tokenization.reverseString(resource).tokens.some((token) => (token as { cache?: unknown }).cache === true);
}

function union(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())].sort(compareText);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Groups resources with the same actions, in the order of their first resource. A resource that
 * may vanish never stands alone (a statement left without resources is invalid): it joins the
 * first group, or, when every other resource grants nothing, those resources come back.
 */
function groupResources(judged: readonly JudgedResource[], all: readonly string[]): Map<string, string[]> {
  const solid = judged.filter((j) => !j.vanishes && j.kept.length > 0);
  const vanishing = judged.filter((j) => j.vanishes && !j.lazy && j.kept.length > 0);
  const lazy = judged.filter((j) => j.lazy).map((j) => j.resource);
  const groups = new Map<string, string[]>();
  const add = (kept: readonly string[], resources: readonly string[]) => {
    const key = kept.join(' ');
    groups.set(key, [...groups.get(key) ?? [], ...resources]);
  };
  if (solid.length === 0 && lazy.length === 0 && judged.every((j) => !j.vanishes || j.empty)) {
    // What applies to nothing here, beside resources that are nothing (a table's stream ARN
    // when it has no stream): as written it grants nothing.
    return groups;
  }
  if (lazy.length > 0 && solid.length === 0 && vanishing.length === 0) {
    add(all, judged.map((j) => j.resource));
    return groups;
  }
  if (lazy.length > 0) {
    // A Lazy resource joins the first group with that group's actions.
    const first = solid[0] ?? vanishing[0];
    add(first.kept, lazy);
  }
  if (vanishing.length > 0 && solid.length === 0) {
    add(union(...vanishing.map((j) => j.kept)), judged.filter((j) => !j.vanishes || j.kept.length > 0).map((j) => j.resource));
    return groups;
  }
  solid.forEach((j, i) => add(i === 0 ? union(j.kept, ...vanishing.map((v) => v.kept)) : j.kept, [j.resource]));
  if (vanishing.length > 0) {
    add(union(solid[0].kept, ...vanishing.map((v) => v.kept)), vanishing.map((v) => v.resource));
  }
  return groups;
}

function copyConditions(conditions: { [operator: string]: unknown }): { [operator: string]: unknown } {
  return Object.fromEntries(Object.entries(conditions).map(([operator, value]) =>
    [operator, value && typeof value === 'object' && !Array.isArray(value) && !Token.isUnresolved(value) ? { ...value } : value]));
}

/**
 * Returns statements equivalent to an Allow `statement` with exact actions only.
 *
 * Each wildcard action (`s3:GetObject*`, `kms:*`) becomes the actions of the Service
 * Authorization Reference it matches; an unknown service or action, or a pattern that matches
 * nothing, stays as written. For each resource, an action is kept unless none of its resource
 * types can match the resource (an action with no resource-level permission only matches `*`).
 * A resource's shape comes from its literal ARN or, for a token, from the resolved CloudFormation
 * expression with `Ref` / `Fn::GetAtt` of common resource types rendered as sample ARNs; a
 * resource whose shape is unknown keeps every action. Resources with the same actions share a
 * statement, whose sid gets a suffix when there are several. A statement of which nothing
 * applies keeps its exact actions on every resource. Deny, NotAction, NotResource and
 * statements with principals are returned as they are. `statement` is never modified.
 */
export function exactStatements(scope: Construct, statement: iam.PolicyStatement): iam.PolicyStatement[] {
  const actions = statement.actions;
  const resources = statement.resources;
  if (statement.effect !== iam.Effect.ALLOW || statement.notActions.length > 0 || statement.notResources.length > 0
    || statement.hasPrincipal || actions.length === 0 || resources.length === 0) {
    return [statement];
  }
  const expanded = new Map<string, ExpandedAction>();
  for (const action of actions.flatMap(expandAction)) expanded.set(action.text, action);
  const sorted = [...expanded.values()].sort((a, b) => compareText(a.text, b.text));

  const stack = Stack.of(scope);
  const renderer = new Renderer(stack);
  const groups = groupResources([...new Set(resources)].map((resource) => judgeResource(renderer, stack, resource, sorted)),
    sorted.map((action) => action.text));

  if (groups.size === 0) {
    // Every resource was judged, and no action applies to any: as written it grants
    // nothing (GetRecords on a table without a stream), so it is left out.
    return [];
  }
  const entries = [...groups];
  return entries.map(([key, grouped], i) => new iam.PolicyStatement({
    sid: statement.sid !== undefined && entries.length > 1 ? `${statement.sid}${i + 1}` : statement.sid,
    effect: statement.effect,
    actions: key.split(' '),
    resources: grouped,
    conditions: copyConditions(statement.conditions),
  }));
}
