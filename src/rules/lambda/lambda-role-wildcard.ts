import { asArray, isIntrinsic, isLiteral } from '../../cfn/references';
import { AttachedPolicy, EXTERNAL } from '../function-view';
import { LambdaRule, RuleResult, RuleSeverity, RuleViolation } from '../rule';

export const SERVICE_WIDE = /^[^:*]+:\*$/;

/** No policy of the execution role grants everything, or all of a service on every resource. */
export const roleWildcard: LambdaRule = {
  id: 'lambda-role-wildcard',
  title: 'The execution role allows no \'*\' action, NotAction, or service-wide wildcard on every resource',
  severity: RuleSeverity.BLOCK,
  why: 'Code injection or a malicious dependency runs with the role\'s permissions: Action \'*\' makes it an administrator, and \'s3:*\' on \'*\' lets it read, delete or make public every bucket of the account.',
  fix: 'Grant with the resources\' grant methods (table.grantReadData(fn), bucket.grantRead(fn)) or policy statements naming specific actions and resource ARNs; SecureFunction grants only what its props need. Keep Resource \'*\' only for actions without resource-level permissions (xray:PutTraceSegments).',
  controls: {
    nist80053: ['AC-3', 'AC-6'],
    pciDss: ['7.1'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
    securityHub: ['IAM.1', 'IAM.21'],
  },
  check(view) {
    const role = view.role;
    if (role === EXTERNAL) {
      return 'UNRESOLVED';
    }
    if (role === undefined) {
      return 'NOT_APPLICABLE';
    }
    return judgeRolePolicies(view.rolePolicies, role.logicalId);
  },
};

/**
 * The verdict of lambda-role-wildcard on the policies of one role (of a function,
 * or of another Lambda resource: lambda-compute-role-wildcard), each violation
 * on the role or policy that holds the statement.
 */
export function judgeRolePolicies(policies: AttachedPolicy[], roleId: string): RuleResult {
  const violations: RuleViolation[] = [];
  let unresolved = false;
  for (const policy of policies) {
    const where = describe(policy, roleId);
    if (isIntrinsic(policy.document) || isIntrinsic(policy.document.Statement)) {
      unresolved = true;
      continue;
    }
    for (const statement of asArray(policy.document.Statement) as Array<Record<string, unknown>>) {
      if (isIntrinsic(statement) || !isLiteral(statement.Effect)) {
        unresolved = true;
        continue;
      }
      if (statement.Effect !== 'Allow') {
        continue;
      }
      if (statement.NotAction !== undefined) {
        violations.push({ resource: policy.source.resource, problem: `${where} allows NotAction ${JSON.stringify(statement.NotAction)}: every action but those` });
      }
      const resources = statement.NotResource !== undefined ? ['*'] : asArray(statement.Resource);
      const everyResource = resources.includes('*');
      for (const action of asArray(statement.Action)) {
        if (!isLiteral(action)) {
          unresolved = true;
        } else if (action === '*' || action === '*:*') {
          violations.push({ resource: policy.source.resource, problem: `${where} allows Action '${action}': every action of every service` });
        } else if (typeof action === 'string' && SERVICE_WIDE.test(action)) {
          if (everyResource) {
            const on = statement.NotResource !== undefined ? 'on NotResource (every other resource)' : "on Resource '*'";
            violations.push({ resource: policy.source.resource, problem: `${where} allows Action '${action}' ${on}` });
          } else if (!isLiteral(resources)) {
            unresolved = true;
          }
        }
      }
    }
  }
  return violations.length > 0 ? violations : unresolved ? 'UNRESOLVED' : 'COMPLIANT';
}

/** "policy X", or "inline policy Name of role Y". */
function describe(policy: AttachedPolicy, roleId: string): string {
  if (policy.source.type !== 'AWS::IAM::Role') {
    return `policy ${policy.source.logicalId}`;
  }
  const inline = asArray(policy.source.properties.Policies).find((p) => (p as Record<string, unknown>)?.PolicyDocument === policy.document);
  const name = (inline as Record<string, unknown> | undefined)?.PolicyName;
  return typeof name === 'string' ? `inline policy ${name} of role ${roleId}` : `an inline policy of role ${roleId}`;
}
