import { FunctionView } from './function-view';
import { Enforceable } from './prevention';
import { ResourceRule } from './resource-rule';
import { LambdaRule, RuleInfo, RuleResult } from './rule';
import { isConditional, isIntrinsic, isLiteral } from '../cfn/references';
import { ResolvedResource } from '../cfn/stack-index';

/**
 * A condition on one property of the function (a path under its Properties,
 * `TracingConfig.Mode`), with the verdict it gives when it holds. The Guard
 * twin renders each as one clause (guard/property-twins.ts), so both engines
 * read the same declaration.
 */
export type PropertyClause =
  /** The property is not set: complies. Guard: `<path> not exists`. */
  | { readonly kind: 'absent'; readonly path: string }
  /** The property is an empty map or list: complies. Guard: `<path> empty`. */
  | { readonly kind: 'empty'; readonly path: string }
  /** The property is set, to something other than a literal: not judged. Guard: `<path> is_struct`. */
  | { readonly kind: 'intrinsic'; readonly path: string }
  /** The property is itself an intrinsic function (`Ref`, `Fn::*`): not judged. Guard: `<path>[ keys == /^(Ref$|Fn::)/ ] !empty`. */
  | { readonly kind: 'intrinsic-object'; readonly path: string }
  /** The property is this string: complies. Guard: `<path> == '<value>'`. */
  | { readonly kind: 'equals'; readonly path: string; readonly value: string }
  /** The property is a string other than this one: complies. Guard: `<path> is_string` and `!= '<value>'`, one clause. */
  | { readonly kind: 'not-equals'; readonly path: string; readonly value: string }
  /** The property is set: complies when literal, not judged when decided at deployment. Guard: `<path> exists`. */
  | { readonly kind: 'present'; readonly path: string }
  /**
   * The property is set and not an empty string: complies, not judged when a
   * condition chooses it (it may be AWS::NoValue). Guard: `<path> not in ['']`.
   */
  | { readonly kind: 'non-empty'; readonly path: string };

/** The declaration of a rule that checks properties of one resource: the function itself, or a resource of another Lambda type. */
export interface PropertyCheck {
  /**
   * Which resources: every function, .zip packages only (a container image is
   * NOT_APPLICABLE), or every resource of the rule's `resourceTypes` (resourcePropertyRule).
   */
  readonly scope: 'functions' | 'zip-functions' | 'resources';
  /** Why the scope is narrower than every function (a comment of the Guard twin). */
  readonly scopeNote?: string;
  /** What the clauses mean (comment lines of the Guard twin). */
  readonly notes: readonly string[];
  /** The function passes when any clause holds; the first that holds gives the verdict. */
  readonly passWhen: readonly PropertyClause[];
  /** The problem reported when none holds, from the function's resolved properties. */
  problem(properties: Record<string, any>): string;
}

/** A catalog rule declared as a property check: its check and its Guard twin come from the declaration. */
export type PropertyRule = (LambdaRule | ResourceRule) & { readonly propertyCheck: PropertyCheck };

/** Whether a rule is declared as a property check. */
export function isPropertyRule(rule: LambdaRule | ResourceRule): rule is PropertyRule {
  return (rule as Partial<PropertyRule>).propertyCheck !== undefined;
}

/** A rule of the catalog about the function's own properties, its check derived from `declaration`. */
export function propertyRule(info: RuleInfo & Enforceable, declaration: PropertyCheck): LambdaRule & PropertyRule {
  if (declaration.scope === 'resources') {
    throw new Error(`${info.id}: a property check of resources is declared with resourcePropertyRule`);
  }
  return {
    ...info,
    propertyCheck: declaration,
    check: (view: FunctionView) => (declaration.scope === 'zip-functions' && view.isImage ? 'NOT_APPLICABLE' : judge(view.fn, declaration)),
  };
}

/** A rule of the catalog about the properties of every resource of `resourceType`, its check derived from `declaration`. */
export function resourcePropertyRule(info: RuleInfo & Enforceable, resourceType: string, declaration: Omit<PropertyCheck, 'scope'>): ResourceRule & PropertyRule {
  const check: PropertyCheck = { ...declaration, scope: 'resources' };
  return { ...info, resourceTypes: [resourceType], propertyCheck: check, judge: (resource: ResolvedResource) => judge(resource, check) };
}

function judge(resource: ResolvedResource, declaration: PropertyCheck): RuleResult {
  for (const clause of declaration.passWhen) {
    const verdict = verdictOf(clause, valueAt(resource.properties, clause.path));
    if (verdict) {
      return verdict;
    }
  }
  return [{ resource: resource.resource, problem: declaration.problem(resource.properties) }];
}

/** The verdict a clause gives when it holds for `value`, or undefined when it does not hold. */
function verdictOf(clause: PropertyClause, value: unknown): 'COMPLIANT' | 'UNRESOLVED' | undefined {
  switch (clause.kind) {
    case 'absent':
      return value === undefined ? 'COMPLIANT' : undefined;
    case 'empty':
      return value !== null && typeof value === 'object' && Object.keys(value).length === 0 ? 'COMPLIANT' : undefined;
    case 'intrinsic':
      return value !== undefined && !isLiteral(value) ? 'UNRESOLVED' : undefined;
    case 'intrinsic-object':
      return isIntrinsic(value) ? 'UNRESOLVED' : undefined;
    case 'equals':
      return value === clause.value ? 'COMPLIANT' : undefined;
    case 'not-equals':
      return typeof value === 'string' && value !== clause.value ? 'COMPLIANT' : undefined;
    case 'present':
      return value === undefined ? undefined : isLiteral(value) ? 'COMPLIANT' : 'UNRESOLVED';
    case 'non-empty':
      return value === undefined || value === '' ? undefined : isConditional(value) ? 'UNRESOLVED' : 'COMPLIANT';
  }
}

/** The value at a dotted path of the properties (undefined where any step is missing). */
export function valueAt(properties: Record<string, any>, path: string): unknown {
  return path.split('.').reduce<any>((value, key) => (value !== null && typeof value === 'object' ? value[key] : undefined), properties);
}
