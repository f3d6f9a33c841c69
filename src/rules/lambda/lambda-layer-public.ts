import { referencedIds } from '../../cfn/references';
import { resourcePropertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** No layer version is shared with every AWS account. */
export const layerPublic = resourcePropertyRule({
  id: 'lambda-layer-public',
  title: 'No layer version is shared with every AWS account',
  severity: RuleSeverity.BLOCK,
  why: 'A layer permission for Principal \'*\' without an organization lets any AWS account download the layer: its code, its dependencies and anything embedded in them. A layer is often published from a stack of its own, so every permission is judged, whether a function of the stack uses the layer or not.',
  fix: 'Grant layer use to an account (layer.addPermission(id, { accountId: \'123456789012\' })) or to your organization ({ accountId: \'*\', organizationId: \'o-...\' }): Principal an account, or OrganizationId set, on AWS::Lambda::LayerVersionPermission.',
  controls: {
    nist80053: ['AC-3', 'AC-22'],
    pciDss: ['7.1'],
    controlTower: ['CT.LAMBDA.PR.4'],
  },
}, 'AWS::Lambda::LayerVersionPermission', {
  notes: [
    'An OrganizationId, or a principal other than \'*\' (an account); a principal',
    'from a parameter or an intrinsic function is not judged.',
  ],
  passWhen: [
    { kind: 'non-empty', path: 'OrganizationId' },
    { kind: 'intrinsic', path: 'Principal' },
    { kind: 'not-equals', path: 'Principal', value: '*' },
  ],
  problem: (properties) => {
    const arn = properties.LayerVersionArn;
    const layer = typeof arn === 'string' ? arn : referencedIds(arn)[0] ?? 'of the stack';
    return `layer version ${layer} is shared with every AWS account (Principal '*', no OrganizationId)`;
  },
});
