import { referencedIds } from '../../cfn/references';
import { ResolvedResource, StackIndex } from '../../cfn/stack-index';
import { rolePoliciesOf } from '../function-view';
import { valueAt } from '../property-rule';
import { ResourceRule } from '../resource-rule';
import { RuleResult, RuleSeverity } from '../rule';
import { judgeRolePolicies } from './lambda-role-wildcard';

/** Where each type names the role it runs or builds with. */
export const COMPUTE_ROLES: Readonly<Record<string, string>> = Object.freeze({
  'AWS::Lambda::WebFunctionRevision': 'ServiceConfig.ExecutionRoleArn',
  'AWS::Lambda::CapacityProvider': 'PermissionsConfig.CapacityProviderOperatorRoleArn',
  'AWS::Lambda::MicrovmImage': 'BuildRoleArn',
});

/** The roles of the newer Lambda compute hold no wildcard, as lambda-role-wildcard asks of a function's role. */
export const computeRoleWildcard: ResourceRule = {
  id: 'lambda-compute-role-wildcard',
  title: 'The roles of web function revisions, capacity providers and MicroVM images allow no \'*\' action, NotAction, or service-wide wildcard on every resource',
  severity: RuleSeverity.BLOCK,
  why: 'A web function\'s code runs with its revision\'s execution role, a capacity provider\'s operator role manages the instances every function on it runs on, and an image\'s build role runs its build hooks: a wildcard there makes any code that takes them over an administrator, as on a function\'s role (lambda-role-wildcard).',
  fix: 'Grant the role exact actions on named resources (grant methods, or policy statements naming actions and ARNs); for a capacity provider, the AWS managed operator policy for Lambda Managed Instances or its exact actions.',
  controls: {
    nist80053: ['AC-3', 'AC-6'],
    pciDss: ['7.1'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
    securityHub: ['IAM.1', 'IAM.21'],
  },
  resourceTypes: Object.keys(COMPUTE_ROLES),
  judge(resource: ResolvedResource, index: StackIndex): RuleResult {
    const path = COMPUTE_ROLES[resource.type];
    const value = valueAt(resource.properties, path);
    if (value === undefined) {
      return 'NOT_APPLICABLE';
    }
    const role = referencedIds(value).map((id) => index.get(id)).find((r) => r?.type === 'AWS::IAM::Role');
    // A role of another stack or account: its policies are not in this template.
    return role ? judgeRolePolicies(rolePoliciesOf(index, role), role.logicalId) : 'UNRESOLVED';
  },
};
