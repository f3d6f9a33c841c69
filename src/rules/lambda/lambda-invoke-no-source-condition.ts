import { isLiteral } from '../../cfn/references';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';

export const SERVICE_PRINCIPAL = /\.amazonaws\.com(\.cn)?$/;

/** Every permission for an AWS service is scoped to a source resource or account. */
export const invokeNoSourceCondition: LambdaRule = {
  id: 'lambda-invoke-no-source-condition',
  title: 'Permissions for AWS service principals carry SourceArn or SourceAccount',
  severity: RuleSeverity.BLOCK,
  why: 'A service principal without a source condition lets that service invoke the function on behalf of any customer\'s resource (the confused deputy): someone else\'s bucket, rule or topic can trigger it.',
  fix: 'Pass sourceArn (and sourceAccount) to fn.addPermission, or use the event-source integrations that set them (s3n, targets.LambdaFunction, subscriptions); on a CfnPermission set SourceArn or SourceAccount. The guard\'s remediate mode adds the stack\'s account as SourceAccount.',
  controls: {
    nist80053: ['AC-3', 'AC-6'],
    pciDss: ['7.1'],
    hipaa: ['164.312(a)(1)'],
    controlTower: ['CT.LAMBDA.PR.2'],
    securityHub: ['Lambda.1'],
  },
  check(view) {
    const violations: RuleViolation[] = [];
    let unresolved = false;
    for (const permission of view.permissions) {
      const { Principal, SourceArn, SourceAccount } = permission.properties;
      if (SourceArn !== undefined || SourceAccount !== undefined) {
        continue;
      }
      const principal = principalName(Principal);
      if (principal === undefined) {
        unresolved = true;
      } else if (SERVICE_PRINCIPAL.test(principal)) {
        violations.push({ resource: permission.resource, problem: `permission ${permission.logicalId} lets service principal ${principal} invoke the function with no SourceArn or SourceAccount` });
      }
    }
    return violations.length > 0 ? violations : unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};

/**
 * The principal as a string: a literal, or a join of literals and AWS::URLSuffix
 * (`events.${AWS::URLSuffix}`); undefined when it hangs on anything else.
 */
function principalName(principal: unknown): string | undefined {
  if (isLiteral(principal)) {
    return String(principal);
  }
  const join = (principal as Record<string, unknown>)['Fn::Join'];
  if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1])) {
    return undefined;
  }
  const parts = join[1].map((part: unknown) => (typeof part === 'string' ? part
    : (part as Record<string, unknown> | null)?.Ref === 'AWS::URLSuffix' ? 'amazonaws.com' : undefined));
  return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
}
