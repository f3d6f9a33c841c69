import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { renderedFragment } from './cdk-internals';

/** The resources of a synthesized template, as far as an index reads them. */
export interface SynthesizedTemplate {
  readonly Resources?: Record<string, { readonly Type?: string; readonly Properties?: Record<string, unknown> }>;
}

/** A CloudFormation resource of the stack, its properties resolved as they will be synthesized. */
export interface ResolvedResource {
  /** Its logical id in the template. */
  readonly logicalId: string;
  /** Its CloudFormation type. */
  readonly type: string;
  /** Its properties, resolved, overrides included. */
  readonly properties: Record<string, any>;
  /** The construct. */
  readonly resource: CfnResource;
}

/**
 * The CloudFormation resources of one stack (nested stacks have their own), by
 * logical id and by type, each resolved the first time it is asked for. Rules
 * read templates through this, never construct classes: an L1, an L2, a
 * SingletonFunction or a bundling construct look the same here.
 */
export class StackIndex {
  /**
   * The index of `stack`, built on first use and kept while the stack's
   * constructs stay the same (until `forget` after a change to a resource).
   */
  public static of(stack: Stack): StackIndex {
    const constructs = stack.node.findAll();
    let index = INDEXES.get(stack);
    if (!index || index.size !== constructs.length) {
      index = new StackIndex(stack, constructs);
      INDEXES.set(stack, index);
    }
    return index;
  }

  /** A new index of `stack`, not shared (for one pass of an Aspect or a pack). */
  public static build(stack: Stack): StackIndex {
    return new StackIndex(stack, stack.node.findAll());
  }

  /**
   * An index of `stack` whose resources are read from `template`, the stack's
   * template as synthesized (nothing is resolved again). Undefined when the
   * template does not hold exactly the stack's resources: it is from another
   * synthesis, and the caller should resolve (`build`).
   */
  public static fromTemplate(stack: Stack, template: SynthesizedTemplate): StackIndex | undefined {
    const index = new StackIndex(stack, stack.node.findAll());
    const resources = template.Resources ?? {};
    const ids = Object.keys(resources);
    if (ids.length !== index.byId.size || ids.some((id) => index.byId.get(id)?.cfnResourceType !== resources[id].Type)) {
      return undefined;
    }
    for (const [logicalId, resource] of index.byId) {
      index.resolved.set(logicalId, { logicalId, type: resource.cfnResourceType, properties: resources[logicalId].Properties ?? {}, resource });
    }
    return index;
  }

  /**
   * The resource with `logicalId` in `stack` as it is now, found in one pass and
   * nothing resolved but logical ids: for lookups while the app is still being
   * built, when no index of the stack can be kept.
   */
  public static resourceOf(stack: Stack, logicalId: string): CfnResource | undefined {
    return StackIndex.build(stack).resource(logicalId);
  }

  /** Drops the index of `stack` (after a remediation changed a resource). */
  public static forget(stack: Stack): void {
    INDEXES.delete(stack);
  }

  private readonly byId = new Map<string, CfnResource>();
  private readonly byType = new Map<string, string[]>();
  private readonly resolved = new Map<string, ResolvedResource>();
  private readonly memos = new Map<string, unknown>();

  private readonly size: number;

  private constructor(public readonly stack: Stack, constructs: IConstruct[]) {
    this.size = constructs.length;
    for (const construct of constructs) {
      if (!CfnResource.isCfnResource(construct) || Stack.of(construct) !== stack) {
        continue;
      }
      const logicalId = stack.resolve(construct.logicalId) as string;
      this.byId.set(logicalId, construct);
      const ids = this.byType.get(construct.cfnResourceType) ?? [];
      ids.push(logicalId);
      this.byType.set(construct.cfnResourceType, ids);
    }
  }

  /** The resource with this logical id, if it is in the stack. */
  public get(logicalId: string | undefined): ResolvedResource | undefined {
    if (logicalId === undefined) {
      return undefined;
    }
    const cached = this.resolved.get(logicalId);
    if (cached) {
      return cached;
    }
    const resource = this.byId.get(logicalId);
    if (!resource) {
      return undefined;
    }
    // Resolve the body only: the key is the logical id, known already (and a version's costs a hash).
    const raw = renderedFragment(resource);
    const body = this.stack.resolve(Object.values(raw.Resources ?? {})[0] ?? {}) as { Properties?: Record<string, unknown> };
    const entry: ResolvedResource = {
      logicalId,
      type: resource.cfnResourceType,
      properties: body.Properties ?? {},
      resource,
    };
    this.resolved.set(logicalId, entry);
    return entry;
  }

  /** The construct of the resource with this logical id (its properties are not resolved). */
  public resource(logicalId: string): CfnResource | undefined {
    return this.byId.get(logicalId);
  }

  /** Every resource of a type. */
  public ofType(type: string): ResolvedResource[] {
    return (this.byType.get(type) ?? []).map((id) => this.get(id)!);
  }

  /** A value computed once per index (lookup tables shared by every function of the stack). */
  public memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) {
      this.memos.set(key, compute());
    }
    return this.memos.get(key) as T;
  }

  /** The logical id of a construct of this stack. */
  public idOf(resource: CfnResource): string {
    return this.stack.resolve(resource.logicalId) as string;
  }
}

const INDEXES = new WeakMap<Stack, StackIndex>();
