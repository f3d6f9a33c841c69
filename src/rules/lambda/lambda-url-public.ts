import { isLiteral } from '../../cfn/references';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';


/** No function URL of the function can be called without authentication. */
export const urlPublic: LambdaRule = {
  id: 'lambda-url-public',
  title: 'Function URLs require AWS_IAM authentication (no AuthType NONE)',
  severity: RuleSeverity.BLOCK,
  why: 'A function URL with AuthType NONE is an HTTPS endpoint anyone on the internet can call: no caller identity, no authorization, and every request billed and run.',
  fix: 'Create the URL with authType: lambda.FunctionUrlAuthType.AWS_IAM (fn.addFunctionUrl) and grant callers with fn.grantInvokeUrl(), or set AuthType: AWS_IAM on a CfnUrl; put a public API behind API Gateway or CloudFront with authentication instead.',
  controls: {
    nist80053: ['AC-3', 'AC-6', 'SC-7'],
    pciDss: ['1.3', '7.1'],
    hipaa: ['164.312(a)(1)', '164.312(d)'],
    controlTower: ['CT.LAMBDA.PR.2', 'CT.LAMBDA.PR.5', 'CT.LAMBDA.PV.1'],
    securityHub: ['Lambda.1'],
  },
  detectedBy: ['LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED'],
  prevention: [
    { sid: 'FunctionUrlsWithIamAuth', actions: ['lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig'], key: 'lambda:FunctionUrlAuthType', deny: 'other-than', values: ['AWS_IAM'] },
    { sid: 'NoPublicFunctionUrlPermissions', actions: ['lambda:AddPermission'], key: 'lambda:FunctionUrlAuthType', deny: 'equal-to', values: ['NONE'] },
  ],
  check(view) {
    const urls = view.urls;
    const urlPermissions = view.permissions.filter((p) => p.properties.FunctionUrlAuthType !== undefined);
    if (urls.length === 0 && urlPermissions.length === 0) {
      return 'NOT_APPLICABLE';
    }
    const violations: RuleViolation[] = [];
    let unresolved = false;
    for (const url of urls) {
      const { AuthType, Qualifier } = url.properties;
      if (!isLiteral(AuthType)) {
        unresolved = true;
      } else if (AuthType === 'NONE') {
        const qualifier = typeof Qualifier === 'string' ? ` (qualifier ${Qualifier})` : '';
        violations.push({ resource: url.resource, problem: `function URL ${url.logicalId}${qualifier} has AuthType NONE: anyone can invoke it without authentication` });
      }
    }
    for (const permission of urlPermissions) {
      const { FunctionUrlAuthType, Principal } = permission.properties;
      if ((isLiteral(FunctionUrlAuthType) && FunctionUrlAuthType !== 'NONE') || (isLiteral(Principal) && Principal !== '*')) {
        continue;
      }
      if (!isLiteral(FunctionUrlAuthType) || !isLiteral(Principal)) {
        unresolved = true;
      } else {
        violations.push({
          resource: permission.resource,
          problem: `permission ${permission.logicalId} lets anyone (Principal '*') invoke the function URL with FunctionUrlAuthType NONE`,
        });
      }
    }
    return violations.length > 0 ? violations : unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
