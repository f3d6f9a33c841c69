import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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
    const raw = (resource as unknown as { _toCloudFormation(): { Resources?: Record<string, unknown> } })._toCloudFormation();
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

/**
 * The logical ids a value refers to (`Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`),
 * anywhere inside it; pseudo parameters (`AWS::Region`...) are left out.
 */
export function referencedIds(value: unknown): string[] {
  const ids: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.Ref === 'string') {
        ids.push(record.Ref);
      }
      const getAtt = record['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
        ids.push(getAtt[0]);
      }
      const sub = record['Fn::Sub'];
      const template = Array.isArray(sub) ? sub[0] : sub;
      if (typeof template === 'string') {
        for (const match of template.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) {
          ids.push(match[1]);
        }
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(value);
  return [...new Set(ids)].filter((id) => !id.startsWith('AWS::'));
}

/** Whether a value is known at synthesis (no reference, parameter or intrinsic in it). */
export function isLiteral(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.every(isLiteral);
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return false;
    }
    return Object.values(value).every(isLiteral);
  }
  return true;
}

/** Whether a value is itself an intrinsic (`Ref`, `Fn::*`): an object decided at deploy time. */
export function isIntrinsic(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'));
}
