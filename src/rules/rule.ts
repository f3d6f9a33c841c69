import { CfnResource } from 'aws-cdk-lib';
import { FunctionView } from './function-view';
import { GuardContext } from './guard/guard-dsl';
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
 * function and its surroundings. One rule per file under `src/rules/lambda/`.
 */
export interface LambdaRule extends RuleInfo {
  /** Judges one function. Must not change anything. */
  check(view: FunctionView): RuleResult;
  /**
   * The same rule in CloudFormation Guard, for the generated rules file (see
   * GuardContext for the contract): same verdicts on the synthesized template.
   */
  guard(ctx: GuardContext): string;
}
