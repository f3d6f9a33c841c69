import { GuardrailExemption, LambdaGuardrailsOptions } from './guardrail-options';
import { invalidInput } from '../cfn/errors';
import { HELPER_FUNCTION_PREFIX } from '../cfn/helper-functions';
import { CATALOG } from '../rules/catalog';
import { ApprovedList, PreventionClause, preventionSid } from '../rules/prevention';
import { RuleInfo } from '../rules/rule-info';

/** One Deny statement of the guardrails, with the rule it comes from. */
export interface GuardrailStatement {
  /** The statement's Sid: the rule id in PascalCase, then what the clause requires. */
  readonly sid: string;
  /** The catalog rule it prevents. */
  readonly rule: RuleInfo;
  /** The IAM statement. */
  readonly statement: Record<string, unknown>;
}

/** A clause of the catalog that renders no statement, and why. */
export interface GuardrailOmission {
  readonly sid: string;
  readonly rule: RuleInfo;
  readonly reason: string;
}

/** Every statement the options render, and every clause they leave out. */
export interface GuardrailSet {
  readonly statements: GuardrailStatement[];
  readonly omitted: GuardrailOmission[];
}

/** The function ARNs of the library's helpers (cfn/helper-functions.ts). */
const HELPER_FUNCTIONS = `arn:*:lambda:*:*:function:${HELPER_FUNCTION_PREFIX}*`;
const ROLE_NAME = /^[A-Za-z0-9+=,.@_\-/]{1,512}$/;
const ACCOUNT = /^\d{12}$/;
const OWN_ACCOUNT = '${aws:PrincipalAccount}';
/** How errors name what they are about. */
const WHAT = 'LambdaGuardrails:';

/**
 * The guardrails of the catalog under `options`: each preventive clause of
 * each rule becomes a Deny statement, in catalog order. A clause that lacks a
 * function setting (no VPC, no code signing) gets a second statement that
 * lets the deployment roles create the library's helper functions, by name,
 * and no one else.
 */
export function guardrailStatements(options: LambdaGuardrailsOptions = {}): GuardrailSet {
  const exempt = (options.exemptRoles ?? []).flatMap(exemptionArns);
  const deployers = deploymentRoleArns(options);
  const relaxed = relaxationsOf(options);
  const statements: GuardrailStatement[] = [];
  const omitted: GuardrailOmission[] = [];
  for (const rule of CATALOG) {
    for (const clause of rule.prevention ?? []) {
      const sid = sidOf(rule, clause);
      const relaxation = relaxed.get(sid);
      relaxed.delete(sid);
      const test = relaxation === undefined ? conditionOf(clause, options) : undefined;
      if (relaxation !== undefined || test === undefined) {
        omitted.push({ sid, rule, reason: relaxation ?? `no ${approvedOption(clause.approved!)} given` });
        continue;
      }
      const lacksSetting = clause.deny === 'absent' && clause.actions.includes('lambda:CreateFunction');
      const unless = (roles: string[]): Record<string, Record<string, unknown>> => (roles.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': roles } } : {});
      statements.push({ sid, rule, statement: deny(sid, clause, { Resource: '*' }, merge(test, unless(lacksSetting ? [...exempt, ...deployers] : exempt))) });
      if (lacksSetting && deployers.length > 0) {
        const helpers = `${sid}ExceptHelpers`;
        statements.push({ sid: helpers, rule, statement: deny(helpers, clause, { NotResource: HELPER_FUNCTIONS }, merge(test, unless(exempt))) });
      }
    }
  }
  if (relaxed.size > 0) {
    throw invalidInput(`${WHAT} 'relaxations'`, 'must name statements the guardrails render', [...relaxed.keys()].map((s) => `'${s}'`).join(', '),
      `use the Sids: ${allSids().join(', ')}`);
  }
  return { statements, omitted };
}

/** Every Sid the catalog can render (the first statement of each clause). */
export function allSids(): string[] {
  return CATALOG.flatMap((rule) => (rule.prevention ?? []).map((clause) => sidOf(rule, clause)));
}

function sidOf(rule: RuleInfo, clause: PreventionClause): string {
  return preventionSid(rule.id, clause);
}

function deny(sid: string, clause: PreventionClause, resource: Record<string, string>, condition: Record<string, unknown>): Record<string, unknown> {
  const actions = clause.actions.length === 1 ? clause.actions[0] : [...clause.actions];
  return { Sid: sid, Effect: 'Deny', Action: actions, ...resource, ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}) };
}

/** The condition under which the clause refuses, or undefined when it needs a list not given. */
function conditionOf(clause: PreventionClause, options: LambdaGuardrailsOptions): Record<string, Record<string, unknown>> | undefined {
  const key = clause.key!;
  const any = clause.multiValued ? 'ForAnyValue:' : '';
  switch (clause.deny) {
    case 'always': return {};
    case 'absent': return { Null: { [key]: 'true' } };
    case 'other-than': return { [`${any}StringNotEquals`]: { [key]: one([...clause.values!]) } };
    case 'equal-to': return { [`${any}StringEquals`]: { [key]: one([...clause.values!]) } };
    case 'not-approved': {
      const approved = approvedValues(clause.approved!, options);
      if (approved === undefined) {
        return undefined;
      }
      // A value outside the list is refused; an absent one is left to the clause that requires
      // the setting (a helper function has none, and a relaxation of that clause must hold).
      // ForAnyValue is false on an absent key; a single-valued key needs Null false (IfExists would refuse it).
      const present: Record<string, Record<string, unknown>> = clause.multiValued ? {} : { Null: { [key]: 'false' } };
      return { [`${any}${approved.operator}`]: { [key]: one(approved.values) }, ...present };
    }
  }
}

/** The values a clause compares with, and how. */
function approvedValues(list: ApprovedList, options: LambdaGuardrailsOptions): { operator: string; values: string[] } | undefined {
  const ids = (values: string[] | undefined, what: string) => (values === undefined ? undefined : { operator: 'StringNotEquals', values: nonEmpty(values, what) });
  switch (list) {
    case 'vpcIds': return ids(options.approvedVpcIds, 'approvedVpcIds');
    case 'subnetIds': return ids(options.approvedSubnetIds, 'approvedSubnetIds');
    case 'securityGroupIds': return ids(options.approvedSecurityGroupIds, 'approvedSecurityGroupIds');
    case 'codeSigningConfigArns':
      return options.approvedCodeSigningConfigArns === undefined ? undefined
        : { operator: 'ArnNotLike', values: nonEmpty(options.approvedCodeSigningConfigArns, 'approvedCodeSigningConfigArns') };
    case 'layerAccounts':
      return { operator: 'StringNotLike', values: [OWN_ACCOUNT, ...accounts(options.approvedLayerAccounts, 'approvedLayerAccounts')].map((a) => `arn:*:lambda:*:${a}:layer:*`) };
    case 'principals':
      return {
        operator: 'StringNotLike',
        values: ['*.amazonaws.com', ...[OWN_ACCOUNT, ...accounts(options.approvedPrincipalAccounts, 'approvedPrincipalAccounts')].flatMap((a) => [a, `arn:*:iam::${a}:*`])],
      };
  }
}

function approvedOption(list: ApprovedList): string {
  return { vpcIds: 'approvedVpcIds', subnetIds: 'approvedSubnetIds', securityGroupIds: 'approvedSecurityGroupIds', codeSigningConfigArns: 'approvedCodeSigningConfigArns', layerAccounts: 'approvedLayerAccounts', principals: 'approvedPrincipalAccounts' }[list];
}

function nonEmpty(values: string[], what: string): string[] {
  if (values.length === 0) {
    throw invalidInput(`${WHAT} '${what}'`, 'must list at least one value', '[]', 'leave it out to approve any');
  }
  return values;
}

function accounts(values: string[] | undefined, what: string): string[] {
  for (const account of values ?? []) {
    if (!ACCOUNT.test(account)) {
      throw invalidInput(`${WHAT} '${what}'`, 'must list 12-digit account ids', `'${account}'`, 'write each account id as 12 digits, e.g. 123456789012');
    }
  }
  return values ?? [];
}

function exemptionArns(exemption: GuardrailExemption): string[] {
  const { roleName, reason } = exemption;
  if (!ROLE_NAME.test(roleName)) {
    throw invalidInput(`${WHAT} 'exemptRoles'`, 'must name a role exactly (letters, digits and +=,.@_-/; no wildcard: a pattern would exempt any role that matches it)',
      `'${roleName}'`, 'write the role\'s name, with its path if it has one');
  }
  if (reason.trim().length === 0) {
    throw invalidInput(`${WHAT} 'exemptRoles' entry '${roleName}'`, 'must give its reason', 'an empty one', 'say why the role may break the guardrails');
  }
  return (exemption.accounts ? accounts(exemption.accounts, `exemptRoles[${roleName}].accounts`) : ['*']).map((a) => `arn:*:iam::${a}:role/${roleName}`);
}

function deploymentRoleArns(options: LambdaGuardrailsOptions): string[] {
  const cdk = (options.cdkQualifiers ?? ['hnb659fds']).map((q) => {
    if (!/^[A-Za-z0-9_-]{1,10}$/.test(q)) {
      throw invalidInput(`${WHAT} 'cdkQualifiers'`, 'must list bootstrap qualifiers (up to 10 letters, digits, _ or -)', `'${q}'`, 'give the qualifier of cdk bootstrap --qualifier, e.g. hnb659fds');
    }
    return `arn:*:iam::*:role/cdk-${q}-cfn-exec-role-*`;
  });
  const named = (options.deploymentRoleNames ?? []).map((name) => {
    if (!ROLE_NAME.test(name)) {
      throw invalidInput(`${WHAT} 'deploymentRoleNames'`, 'must name a role exactly (no wildcard)', `'${name}'`, 'write the role\'s name, with its path if it has one');
    }
    return `arn:*:iam::*:role/${name}`;
  });
  return [...cdk, ...named];
}

function relaxationsOf(options: LambdaGuardrailsOptions): Map<string, string> {
  const relaxed = new Map<string, string>();
  for (const { statement, reason } of options.relaxations ?? []) {
    if (reason.trim().length === 0) {
      throw invalidInput(`${WHAT} 'relaxations' entry '${statement}'`, 'must give its reason', 'an empty one', 'say why the organisation does without the statement');
    }
    relaxed.set(statement, reason);
  }
  return relaxed;
}

function merge(...conditions: Array<Record<string, Record<string, unknown>>>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const condition of conditions) {
    for (const [operator, block] of Object.entries(condition)) {
      out[operator] = { ...out[operator], ...block };
    }
  }
  return out;
}

function one(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}
