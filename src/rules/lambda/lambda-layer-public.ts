import { isLiteral, referencedIds } from '../../cfn/references';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';

/** The function's layers are not shared with every AWS account. */
export const layerPublic: LambdaRule = {
  id: 'lambda-layer-public',
  title: 'No layer version the function uses is shared with every AWS account',
  severity: RuleSeverity.BLOCK,
  why: 'A layer permission for Principal \'*\' without an organization lets any AWS account download the layer: its code, its dependencies and anything embedded in them.',
  fix: 'Grant layer use to an account (layer.addPermission(id, { accountId: \'123456789012\' })) or to your organization ({ accountId: \'*\', organizationId: \'o-...\' }): Principal an account, or OrganizationId set, on AWS::Lambda::LayerVersionPermission.',
  controls: {
    nist80053: ['AC-3', 'AC-22'],
    pciDss: ['7.1'],
    controlTower: ['CT.LAMBDA.PR.4'],
  },
  check(view) {
    const inStack = referencedIds(view.props.Layers).filter((id) => view.index.get(id)?.type === 'AWS::Lambda::LayerVersion');
    if (inStack.length === 0) {
      return 'NOT_APPLICABLE';
    }
    const violations: RuleViolation[] = [];
    let unresolved = false;
    for (const permission of view.layerPermissions) {
      const { Principal: principal, OrganizationId: organization } = permission.properties;
      if (!isLiteral(principal)) {
        unresolved = true;
      } else if (principal === '*' && organization === undefined) {
        const layer = referencedIds(permission.properties.LayerVersionArn).find((id) => inStack.includes(id)) ?? 'of the stack';
        violations.push({ resource: permission.resource, problem: `layer version ${layer} is shared with every AWS account (Principal '*', no OrganizationId)` });
      }
    }
    if (violations.length > 0) {
      return violations;
    }
    return unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
