import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { layerPublic } from '../../../src/rules/lambda/lambda-layer-public';
import { HANDLER_ASSET } from '../../support/fixtures';
import { ruleTable } from '../../support/rule-table';

/** An in-stack L2 layer `Layer`; used by the L2 function `Fn` when `used`. */
function layerOf(stack: Stack, used = true): lambda.LayerVersion {
  const layer = new lambda.LayerVersion(stack, 'Layer', { code: lambda.Code.fromAsset(HANDLER_ASSET) });
  if (used) {
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), layers: [layer] });
  }
  return layer;
}

const permission = (layer: lambda.LayerVersion, id: string) => layer.node.findChild(id) as lambda.CfnLayerVersionPermission;
const layerId = (stack: Stack, layer: lambda.LayerVersion) => stack.resolve((layer.node.defaultChild as lambda.CfnLayerVersion).logicalId) as string;
const problemOf = (layer: string) => `layer version ${layer} is shared with every AWS account (Principal '*', no OrganizationId)`;

ruleTable(layerPublic, [
  {
    name: 'compliant: a layer shared with the organization',
    build: (stack) => {
      const layer = layerOf(stack);
      layer.addPermission('Org', { accountId: '*', organizationId: 'o-a1b2c3d4e5' });
      return { fn: permission(layer, 'Org'), check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: a layer shared with one account',
    build: (stack) => {
      const layer = layerOf(stack);
      layer.addPermission('Account', { accountId: '123456789012' });
      return { fn: permission(layer, 'Account'), check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: a layer a function uses, shared with every account, on the permission',
    build: (stack) => {
      const layer = layerOf(stack);
      layer.addPermission('Public', { accountId: '*' });
      return { fn: permission(layer, 'Public'), check: [{ on: permission(layer, 'Public'), problem: problemOf(layerId(stack, layer)) }] };
    },
    guardPointsAt: (stack) => [stack.resolve(permission(stack.node.findChild('Layer') as lambda.LayerVersion, 'Public').logicalId)],
  },
  {
    name: 'non-compliant: a layer published from a stack of its own (no function uses it)',
    build: (stack) => {
      const layer = layerOf(stack, false);
      layer.addPermission('Public', { accountId: '*' });
      return { fn: permission(layer, 'Public'), check: [{ on: permission(layer, 'Public'), problem: problemOf(layerId(stack, layer)) }] };
    },
  },
  {
    name: 'non-compliant: an L1 permission for Principal * on a layer of another stack',
    build: (stack) => {
      const arn = 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3';
      const open = new lambda.CfnLayerVersionPermission(stack, 'Open', { action: 'lambda:GetLayerVersion', layerVersionArn: arn, principal: '*' });
      return { fn: open, check: [{ on: open, problem: problemOf(arn) }] };
    },
    guardPointsAt: () => ['Open'],
  },
  {
    name: 'unresolved: a principal from a parameter',
    build: (stack) => {
      const layer = layerOf(stack);
      const param = new lambda.CfnLayerVersionPermission(stack, 'Param', {
        action: 'lambda:GetLayerVersion', layerVersionArn: layer.layerVersionArn, principal: new CfnParameter(stack, 'Principal').valueAsString,
      });
      return { fn: param, check: 'UNRESOLVED' };
    },
  },
  ...(['layer', 'permission'] as const).map((on) => ({
    name: `acknowledged on the ${on}: the exception travels in Metadata.guard.SuppressedRules`,
    build: (stack: Stack) => {
      const layer = layerOf(stack);
      layer.addPermission('Public', { accountId: '*' });
      Validations.of(on === 'layer' ? layer : permission(layer, 'Public')).acknowledge({ id: layerPublic.id, reason: 'an open-source layer, published on purpose' });
      return { fn: permission(layer, 'Public'), check: [{ on: permission(layer, 'Public'), problem: problemOf(layerId(stack, layer)) }] };
    },
    reported: false,
  })),
]);
