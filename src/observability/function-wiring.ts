import { CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { stackAspectOf } from '../aspects/stack-aspects';
import { referencedIds } from '../cfn/references';
import { StackIndex } from '../cfn/stack-index';
import { sourceKind } from '../integrations/event-sources';

/** The longest batching window Lambda takes for a stream source, in seconds: what an unresolved one may be. */
export const MAX_STREAM_BATCHING_WINDOW_SECONDS = 300;

/**
 * What the template says about one function that decides whether an alarm on
 * one of its metrics can ever see data.
 */
export interface FunctionWiring {
  /**
   * A Kinesis, DynamoDB Streams or Amazon DocumentDB event source reads for
   * it, so Lambda reports its IteratorAge (Kafka sources report OffsetLag instead).
   */
  readonly readsStream: boolean;
  /** The longest batching window of those sources, in seconds (0 when none has one). */
  readonly longestBatchingWindowSeconds: number;
  /**
   * Lambda delivers its events to destinations: those of an asynchronous
   * invocation config, or the on-failure destination of a Kinesis or DynamoDB
   * Streams source (the ones DestinationDeliveryFailures counts).
   */
  readonly hasDestinations: boolean;
  /**
   * Lambda stops its recursive loops (its RecursiveLoop is not Allow), so it
   * reports RecursiveInvocationsDropped.
   */
  readonly stopsRecursiveLoops: boolean;
}

/**
 * Runs `decide` with what is wired to `fn` once its stack is complete, each
 * time the stack synthesizes: event sources and destinations are often added
 * after the construct that watches the function. `owner` is that construct.
 */
export function whenWiringKnown(owner: IConstruct, fn: lambda.IFunction, decide: (wiring: FunctionWiring) => void): void {
  stackAspectOf(owner, 'FunctionWiringCheck', (stack) => new FunctionWiringCheck(stack)).watch(fn, decide);
}

/**
 * The stack's aspect (MUTATING): on the stack itself, before anything below it,
 * reads the template once and tells each watcher what is wired to its function.
 */
class FunctionWiringCheck implements IAspect {
  private readonly watchers: Array<{ fn: lambda.IFunction; decide: (wiring: FunctionWiring) => void }> = [];

  constructor(private readonly stack: Stack) {}

  public watch(fn: lambda.IFunction, decide: (wiring: FunctionWiring) => void): void {
    this.watchers.push({ fn, decide });
  }

  public visit(node: IConstruct): void {
    if (node !== this.stack) {
      return;
    }
    // Every function's wiring first, then the decisions: they add alarms, which the scans need not see.
    const scans = new Map<Stack, StackWiring>();
    const decisions = this.watchers.map(({ fn, decide }) => {
      const stack = Stack.of(fn);
      let scan = scans.get(stack);
      if (!scan) {
        scan = new StackWiring(stack);
        scans.set(stack, scan);
      }
      return { decide, wiring: scan.of(fn) };
    });
    decisions.forEach(({ decide, wiring }) => decide(wiring));
  }
}

/** A resource that names a function in its FunctionName, resolved once. */
interface Naming<T> {
  readonly resource: T;
  /** The logical ids it refers to. */
  readonly ids: string[];
  /** The resolved name as text: how a function of no resource here (imported) is recognized. */
  readonly identity: string;
}

/** The functions, aliases, versions, event source mappings and invoke configs of one stack, read once. */
class StackWiring {
  private readonly functions = new Map<string, lambda.CfnFunction>();
  /** Function logical id: the logical ids of its aliases and versions. */
  private readonly standIns = new Map<string, string[]>();
  private readonly mappings: Array<Naming<lambda.CfnEventSourceMapping>> = [];
  private readonly invokeConfigs: Array<Naming<lambda.CfnEventInvokeConfig>> = [];
  /** Built the first time a mapping's source is looked up, for the whole scan. */
  private index?: StackIndex;

  constructor(private readonly stack: Stack) {
    for (const construct of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(construct) || !WATCHED_TYPES.has(construct.cfnResourceType) || Stack.of(construct) !== stack) {
        continue;
      }
      const type = construct.cfnResourceType;
      if (type === lambda.CfnFunction.CFN_RESOURCE_TYPE_NAME) {
        this.functions.set(stack.resolve(construct.logicalId), construct as lambda.CfnFunction);
      } else if (type === lambda.CfnEventSourceMapping.CFN_RESOURCE_TYPE_NAME) {
        const mapping = construct as lambda.CfnEventSourceMapping;
        this.mappings.push({ resource: mapping, ...this.naming(mapping.functionName) });
      } else if (type === lambda.CfnEventInvokeConfig.CFN_RESOURCE_TYPE_NAME) {
        const config = construct as lambda.CfnEventInvokeConfig;
        this.invokeConfigs.push({ resource: config, ...this.naming(config.functionName) });
      } else {
        const standIn = stack.resolve(construct.logicalId) as string;
        for (const id of this.naming((construct as lambda.CfnAlias | lambda.CfnVersion).functionName).ids) {
          this.standIns.set(id, [...(this.standIns.get(id) ?? []), standIn]);
        }
      }
    }
  }

  /** What is wired to `fn` (a function of this stack, or one imported, named the same way). */
  public of(fn: lambda.IFunction): FunctionWiring {
    const own = this.naming(fn.functionName);
    const ids = own.ids.filter((id) => this.functions.has(id));
    const targets = new Set(ids.flatMap((id) => [id, ...(this.standIns.get(id) ?? [])]));
    const names = ({ ids: named, identity }: Naming<unknown>) => named.some((id) => targets.has(id)) || identity === own.identity;

    let readsStream = false;
    let longestBatchingWindowSeconds = 0;
    let hasDestinations = this.invokeConfigs.some((config) => names(config) && hasDestination(this.stack.resolve(config.resource.destinationConfig)));
    for (const mapping of this.mappings.filter(names).map((m) => m.resource)) {
      const documentDb = mapping.documentDbEventSourceConfig !== undefined;
      if (!documentDb && sourceKind(mapping, this.index ??= StackIndex.build(this.stack)) !== 'stream') {
        continue;
      }
      readsStream = true;
      longestBatchingWindowSeconds = Math.max(longestBatchingWindowSeconds, this.batchingWindow(mapping));
      hasDestinations ||= !documentDb && hasDestination(this.stack.resolve(mapping.destinationConfig), ['onFailure']);
    }
    // Lambda's own default is Terminate: a function without a resource here (imported) stops loops too.
    const stopsRecursiveLoops = ids.every((id) => this.stack.resolve(this.functions.get(id)!.recursiveLoop) !== lambda.RecursiveLoop.ALLOW);
    return { readsStream, longestBatchingWindowSeconds, hasDestinations, stopsRecursiveLoops };
  }

  private naming(functionName: unknown): Omit<Naming<unknown>, 'resource'> {
    const resolved = this.stack.resolve(functionName);
    return { ids: referencedIds(resolved), identity: JSON.stringify(resolved) };
  }

  /** The mapping's batching window in seconds: 0 unset, the most Lambda takes when it is a token. */
  private batchingWindow(mapping: lambda.CfnEventSourceMapping): number {
    const window = this.stack.resolve(mapping.maximumBatchingWindowInSeconds);
    if (window === undefined) {
      return 0;
    }
    return typeof window === 'number' ? window : MAX_STREAM_BATCHING_WINDOW_SECONDS;
  }
}

const WATCHED_TYPES = new Set([
  lambda.CfnFunction.CFN_RESOURCE_TYPE_NAME,
  lambda.CfnAlias.CFN_RESOURCE_TYPE_NAME,
  lambda.CfnVersion.CFN_RESOURCE_TYPE_NAME,
  lambda.CfnEventSourceMapping.CFN_RESOURCE_TYPE_NAME,
  lambda.CfnEventInvokeConfig.CFN_RESOURCE_TYPE_NAME,
]);

/**
 * Whether a resolved DestinationConfig names a destination under one of
 * `kinds` (the L1's camelCase, or the template's PascalCase when a token gave it).
 */
function hasDestination(config: unknown, kinds: string[] = ['onSuccess', 'onFailure']): boolean {
  const record = (config ?? {}) as Record<string, { destination?: unknown; Destination?: unknown } | undefined>;
  return kinds.some((kind) => {
    const target = record[kind] ?? record[kind[0].toUpperCase() + kind.slice(1)];
    return (target?.destination ?? target?.Destination) !== undefined;
  });
}
