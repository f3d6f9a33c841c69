import { referencedIds } from '../../cfn/references';
import { EXTERNAL } from '../function-view';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';

/** An AWS managed policy ARN: `arn:<partition>:iam::aws:policy/<path>`, the partition literal or `${AWS::Partition}`. */
export const ARN_START = 'arn:';
export const PARTITION = String.raw`(?:\$\{AWS::Partition\}|[^:]+)`;
export const POLICY_PATH = ':iam::aws:policy/';
const AWS_MANAGED = new RegExp(`^${ARN_START}${PARTITION}${POLICY_PATH}(.+)$`);
export const ADMIN_POLICIES = new Set(['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess']);
/** Names starting or ending so grant administrator or full access too. */
export const ADMIN_PREFIX = 'AdministratorAccess';
export const ADMIN_SUFFIX = 'FullAccess';
/** The prefix of the only variables a Fn::Sub may hold for the ARN to be known (pseudo parameters). */
export const PSEUDO_PARAMETER = 'AWS::';

/** The execution role has no AWS managed administrator or full-access policy. */
export const roleManagedAdmin: LambdaRule = {
  id: 'lambda-role-managed-admin',
  title: 'The execution role has no AWS managed administrator or *FullAccess policy attached',
  severity: RuleSeverity.BLOCK,
  why: 'AdministratorAccess, PowerUserAccess and the *FullAccess policies give the function every action of a service, or of the account, on every resource: one injected payload owns them all.',
  fix: 'Drop the managed policy (role.addManagedPolicy / ManagedPolicyArns) and grant with the resources\' grant methods or statements naming specific actions and ARNs; SecureFunction attaches no AWS managed policy beyond basic execution and VPC access.',
  controls: {
    nist80053: ['AC-3', 'AC-6'],
    pciDss: ['7.1'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  check(view) {
    const role = view.role;
    if (role === EXTERNAL) {
      return 'UNRESOLVED';
    }
    if (role === undefined) {
      return 'NOT_APPLICABLE';
    }
    const violations: RuleViolation[] = [];
    let unresolved = false;
    for (const arn of view.managedPolicyArns) {
      const text = flatten(arn);
      if (text === undefined) {
        // A customer managed policy of the stack is judged by lambda-role-wildcard; anything else is unknown.
        unresolved ||= !referencedIds(arn).some((id) => view.index.get(id)?.type === 'AWS::IAM::ManagedPolicy');
        continue;
      }
      const path = AWS_MANAGED.exec(text)?.[1];
      const name = path?.split('/').pop();
      if (path !== undefined && name !== undefined && isAdministrator(name)) {
        violations.push({ resource: role.resource, problem: `role ${role.logicalId} has the AWS managed policy ${path} attached` });
      }
    }
    return violations.length > 0 ? violations : unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};

/** Whether an AWS managed policy name grants administrator or full access. */
function isAdministrator(name: string): boolean {
  return ADMIN_POLICIES.has(name) || name.startsWith(ADMIN_PREFIX) || name.endsWith(ADMIN_SUFFIX);
}

/**
 * A policy ARN as text: a literal, or a `Fn::Join` / `Fn::Sub` of literals and
 * pseudo parameters (`arn:${AWS::Partition}:iam::aws:policy/...`), each pseudo
 * parameter kept as `${AWS::...}`; undefined when it refers to anything else.
 */
function flatten(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') {
    return record.Ref.startsWith(PSEUDO_PARAMETER) ? `\${${record.Ref}}` : undefined;
  }
  const join = record['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(flatten);
    return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  const sub = record['Fn::Sub'];
  if (typeof sub === 'string') {
    return [...sub.matchAll(/\$\{([^}]+)\}/g)].some((m) => !m[1].startsWith(PSEUDO_PARAMETER)) ? undefined : sub;
  }
  return undefined;
}
