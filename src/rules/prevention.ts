import { RuleEnforcement } from './enforcement';
import { RuleInfo, RuleSeverity } from './rule-info';

/**
 * A rule's preventive form, declared beside its check: the IAM condition key
 * that carries, in the request of a Lambda API call, the setting the rule
 * judges in a template. The guardrails layer renders each clause into a Deny
 * statement of a service control policy, so that what the rule forbids is
 * refused on every path (console, CLI, SDK, Terraform), not only in
 * CloudFormation. A rule without a clause is one no condition key expresses.
 */
export interface PreventionClause {
  /** The statement's Sid: what the organisation requires, in a few words. */
  readonly sid: string;
  /** The Lambda API actions whose request context carries `key` (Service Authorization Reference). */
  readonly actions: readonly string[];
  /** The condition key; undefined for an action refused outright. */
  readonly key?: string;
  /** What in the request is refused. */
  readonly deny: PreventionTest;
  /** The values `deny` compares with ('other-than', 'equal-to'). */
  readonly values?: readonly string[];
  /** The organisation's list `deny: 'not-approved'` compares with. */
  readonly approved?: ApprovedList;
  /** Whether the key holds several values (subnets, security groups, layers): each is judged. */
  readonly multiValued?: boolean;
}

/**
 * How a clause refuses a request:
 * - 'absent': the setting is missing (`Null` true);
 * - 'other-than': a value outside `values`;
 * - 'equal-to': a value among `values`;
 * - 'not-approved': a value outside the organisation's approved list (skipped when the list is not given);
 * - 'always': the action itself (it can only take a control away).
 */
export type PreventionTest = 'absent' | 'other-than' | 'equal-to' | 'not-approved' | 'always';

/**
 * The lists an organisation approves, each a setting of the guardrails:
 * VPCs, subnets and security groups by id; code-signing configs by ARN;
 * accounts whose layers functions may use; accounts (and services) a
 * function's permissions and resource policies may name.
 */
export type ApprovedList = 'vpcIds' | 'subnetIds' | 'securityGroupIds' | 'codeSigningConfigArns' | 'layerAccounts' | 'principals';

/**
 * What a catalog rule declares of its enforcement beyond synthesis: its
 * preventive form, and the AWS Config rules that detect it after deployment.
 */
export interface Enforceable {
  /** Its preventive form, when IAM condition keys express it. @default - none */
  readonly prevention?: readonly PreventionClause[];
  /** The AWS Config managed rules (identifiers) that detect a function breaking it after deployment. @default - none */
  readonly detectedBy?: readonly string[];
}

/** The Sid of a clause's statement: the rule id in PascalCase, then the clause's own. */
export function preventionSid(ruleId: string, clause: PreventionClause): string {
  return ruleId.split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join('') + clause.sid;
}

/** The two calls that set a function's configuration. */
export const FUNCTION_CONFIGURATION_CALLS: readonly string[] = ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration'];

/** On which paths `rule` is enforced. */
export function enforcementOf(rule: RuleInfo & Enforceable): RuleEnforcement {
  return {
    ruleId: rule.id,
    serviceControlPolicy: (rule.prevention ?? []).map((clause) => preventionSid(rule.id, clause)),
    guardHookByDefault: rule.severity === RuleSeverity.BLOCK,
    awsConfig: [...rule.detectedBy ?? []],
  };
}
