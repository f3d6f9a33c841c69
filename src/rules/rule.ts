import { CfnResource } from 'aws-cdk-lib';
import { FunctionView } from './function-view';
import { Enforceable } from './prevention';
import { RuleInfo } from './rule-info';

export * from './rule-info';

/** One violation: the resource that breaks the rule, and what is wrong with it. */
export interface RuleViolation {
  /** The offending resource (the function, its permission, URL, role, log group...). */
  readonly resource: CfnResource;
  /** What is wrong, specifically (the fix is added from the rule). */
  readonly problem: string;
}

/** The verdict of a rule on one function. */
export type RuleResult =
  /** The function complies. */
  | 'COMPLIANT'
  /** The rule does not apply (for example a container image for a code-package rule). */
  | 'NOT_APPLICABLE'
  /** A value the rule needs is only known at deploy time: nothing is said. */
  | 'UNRESOLVED'
  | RuleViolation[];

/**
 * A rule of the catalog: data plus a pure check over the resolved view of one
 * function and its surroundings. One rule per file under `src/rules/lambda/`,
 * named after its id. Its CloudFormation Guard twin is in `src/guard/`:
 * derived from its declaration where the rule is a property check
 * (`propertyRule`), written beside the others otherwise (`src/guard/twins/`).
 * Its preventive form, where an IAM condition key expresses it, is declared
 * in `prevention` and rendered by `src/guardrails/`.
 */
export interface LambdaRule extends RuleInfo, Enforceable {
  /** Judges one function. Must not change anything. */
  check(view: FunctionView): RuleResult;
}

/** How a message cites a rule of the catalog: `rule <id>`, the id taken from the rule itself. */
export function cite(rule: RuleInfo): string {
  return `rule ${rule.id}`;
}
