import { Enforceable } from './prevention';
import { LambdaRule, RuleInfo, RuleResult } from './rule';
import { ResolvedResource, StackIndex } from '../cfn/stack-index';

/**
 * A rule of the catalog that judges a Lambda resource standing on its own: a
 * resource policy, a web function's endpoint or revision, a MicroVM image, a
 * capacity provider, an event source mapping, a layer permission. Every
 * resource of its types in a stack is judged, whether or not a function of the
 * stack uses it (a layer or a web function often lives in a stack of its own).
 */
export interface ResourceRule extends RuleInfo, Enforceable {
  /** The CloudFormation types it judges. */
  readonly resourceTypes: readonly string[];
  /** Judges one resource of those types. Must not change anything. */
  judge(resource: ResolvedResource, index: StackIndex): RuleResult;
}

/** A rule of the catalog: about one function and its surroundings, or about one resource of another Lambda type. */
export type CatalogRule = LambdaRule | ResourceRule;

/** Whether a catalog rule judges resources of other Lambda types (else functions). */
export function isResourceRule(rule: CatalogRule): rule is ResourceRule {
  return (rule as Partial<ResourceRule>).resourceTypes !== undefined;
}

/** Whether a catalog rule judges functions. */
export function isFunctionRule(rule: CatalogRule): rule is LambdaRule {
  return !isResourceRule(rule);
}
