// Public (the audit report carries it), so this file holds the type alone: the barrel exports
// types only, and enforcementOf, which computes it from a rule, is in prevention.ts.

/**
 * The paths on which a rule of the catalog is enforced beyond synthesis:
 * prevented on every path by the organisation guardrails (a service control
 * policy), judged at deployment by the Guard Hook, detected after deployment
 * by AWS Config.
 */
export interface RuleEnforcement {
  /** The rule. */
  readonly ruleId: string;
  /** The Sids of the guardrail statements that prevent it (LambdaGuardrails); empty when no condition key expresses it. */
  readonly serviceControlPolicy: string[];
  /** Whether the Guard Hook judges it with its default rules file (blocking rules); warn rules need includeWarnRules. */
  readonly guardHookByDefault: boolean;
  /** The AWS Config managed rules that detect it after deployment (SecurityBaseline configRules). */
  readonly awsConfig: string[];
}
