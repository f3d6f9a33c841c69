import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { layerPublic } from '../../../src/rules/lambda/lambda-layer-public';
import { HANDLER_ASSET } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

/** An in-stack L2 layer `Layer` and the L2 function `Fn` that uses it. */
function withLayer(stack: Stack): { fn: lambda.Function; layer: lambda.LayerVersion } {
  const layer = new lambda.LayerVersion(stack, 'Layer', { code: lambda.Code.fromAsset(HANDLER_ASSET) });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), layers: [layer],
  });
  return { fn, layer };
}

const permission = (layer: lambda.LayerVersion, id: string) => layer.node.findChild(id) as lambda.CfnLayerVersionPermission;

/** `withLayer`, its layer shared with every account by the permission `Public`, and what the check says of it. */
function sharedWithEveryone(stack: Stack) {
  const { fn, layer } = withLayer(stack);
  layer.addPermission('Public', { accountId: '*' });
  const layerId = stack.resolve((layer.node.defaultChild as lambda.CfnLayerVersion).logicalId);
  const problem = `layer version ${layerId} is shared with every AWS account (Principal '*', no OrganizationId)`;
  const check = [{ on: permission(layer, 'Public'), problem }];
  return { fn, layer, check };
}

ruleTable(layerPublic, [
  {
    name: 'compliant: an in-stack layer not shared',
    build: (stack) => ({ fn: withLayer(stack).fn, check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: an in-stack layer shared with the organization or an account only',
    build: (stack) => {
      const { fn, layer } = withLayer(stack);
      layer.addPermission('Org', { accountId: '*', organizationId: 'o-a1b2c3d4e5' });
      layer.addPermission('Account', { accountId: '123456789012' });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: a layer shared with every account, on the permission',
    build: (stack) => sharedWithEveryone(stack),
    guardPointsAt: (stack) => [stack.resolve(permission(stack.node.findChild('Layer') as lambda.LayerVersion, 'Public').logicalId)],
  },
  {
    name: 'non-compliant: an L1 layer permission for Principal *',
    build: (stack) => {
      const layer = new lambda.CfnLayerVersion(stack, 'L1Layer', { content: { s3Bucket: 'bucket', s3Key: 'layer.zip' } });
      const fn = cfnFunction(stack, { layers: [layer.ref] }, 'Fn');
      const open = new lambda.CfnLayerVersionPermission(stack, 'Open', {
        action: 'lambda:GetLayerVersion', layerVersionArn: layer.ref, principal: '*',
      });
      return { fn, check: [{ on: open, problem: 'layer version L1Layer is shared with every AWS account (Principal \'*\', no OrganizationId)' }] };
    },
    guardPointsAt: () => ['Open'],
  },
  {
    name: 'compliant: a public layer no function of the stack uses (the function\'s check: not applicable)',
    build: (stack) => {
      new lambda.LayerVersion(stack, 'Unused', { code: lambda.Code.fromAsset(HANDLER_ASSET) }).addPermission('Public', { accountId: '*' });
      return { fn: cfnFunction(stack, {}, 'Fn'), check: 'NOT_APPLICABLE' };
    },
  },
  {
    name: 'not applicable: no layers',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'NOT_APPLICABLE' }),
  },
  {
    name: 'not applicable: only layers from outside the stack',
    build: (stack) => ({
      fn: cfnFunction(stack, { layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared:3'] }, 'Fn'),
      check: 'NOT_APPLICABLE',
    }),
  },
  {
    name: 'unresolved: a principal from a parameter',
    build: (stack) => {
      const { fn, layer } = withLayer(stack);
      new lambda.CfnLayerVersionPermission(stack, 'Param', {
        action: 'lambda:GetLayerVersion', layerVersionArn: layer.layerVersionArn, principal: new CfnParameter(stack, 'Principal').valueAsString,
      });
      return { fn, check: 'UNRESOLVED' };
    },
  },
  ...(['function', 'permission'] as const).map((on) => ({
    name: `acknowledged on the ${on}: the exception travels in Metadata.guard.SuppressedRules`,
    build: (stack: Stack) => {
      const { fn, layer, check } = sharedWithEveryone(stack);
      Validations.of(on === 'function' ? fn : permission(layer, 'Public')).acknowledge({
        id: layerPublic.id, reason: 'an open-source layer, published on purpose',
      });
      return { fn, check };
    },
    reported: false,
  })),
]);
