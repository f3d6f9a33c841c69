import { isLiteral } from '../../cfn/references';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';


/** No resource-based permission lets anyone invoke the function. */
export const invokePublic: LambdaRule = {
  id: 'lambda-invoke-public',
  title: 'No permission lets any principal invoke the function (Principal \'*\' only with PrincipalOrgID)',
  severity: RuleSeverity.BLOCK,
  why: 'A permission for Principal \'*\' lets any AWS account, or anyone at all, invoke the function: its code, data and costs are open to strangers.',
  fix: 'Grant a specific account, role or service (fn.grantInvoke(new iam.AccountPrincipal(...)), or principal plus sourceArn in fn.addPermission), or scope a wildcard to your organization with iam.OrganizationPrincipal / PrincipalOrgID on a CfnPermission.',
  controls: {
    nist80053: ['AC-3', 'AC-6', 'AC-21'],
    pciDss: ['1.3', '7.1'],
    hipaa: ['164.312(a)(1)'],
    controlTower: ['CT.LAMBDA.PR.2', 'CT.LAMBDA.PV.2'],
    securityHub: ['Lambda.1'],
  },
  detectedBy: ['LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED'],
  prevention: [
    { sid: 'PermissionsForApprovedPrincipals', actions: ['lambda:AddPermission'], key: 'lambda:Principal', deny: 'not-approved', approved: 'principals' },
  ],
  check(view) {
    const violations: RuleViolation[] = [];
    let unresolved = false;
    for (const permission of view.permissions) {
      const { Action, Principal, PrincipalOrgID, FunctionUrlAuthType, InvokedViaFunctionUrl } = permission.properties;
      // Left to lambda-url-public: a public URL's own permission, and the companion
      // lambda:InvokeFunction permission that only applies to calls through a URL.
      if (FunctionUrlAuthType === 'NONE' || InvokedViaFunctionUrl === true || PrincipalOrgID !== undefined) {
        continue;
      }
      if (!isLiteral(Principal)) {
        unresolved = true;
      } else if (typeof Principal === 'string' && Principal.includes('*')) {
        const action = typeof Action === 'string' ? Action : 'invoke';
        violations.push({
          resource: permission.resource,
          problem: `permission ${permission.logicalId} grants ${action} to Principal '${Principal}' without PrincipalOrgID`,
        });
      }
    }
    return violations.length > 0 ? violations : unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
