import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { layerPublic } from '../../../src/rules/lambda/lambda-layer-public';
import { HANDLER_ASSET, newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function withLayer(stack: Stack): { fn: lambda.CfnFunction; layer: lambda.LayerVersion } {
  const layer = new lambda.LayerVersion(stack, 'Layer', { code: lambda.Code.fromAsset(HANDLER_ASSET) });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), layers: [layer],
  });
  return { fn: fn.node.defaultChild as lambda.CfnFunction, layer };
}

const permission = (layer: lambda.LayerVersion, id: string) => layer.node.findChild(id) as lambda.CfnLayerVersionPermission;

describe('lambda-layer-public', () => {
  test('compliant: an in-stack layer shared with the organization only, or not shared', () => {
    const stack = newStack();
    const { fn, layer } = withLayer(stack);
    expect(layerPublic.check(FunctionView.of(fn))).toBe('COMPLIANT');
    layer.addPermission('Org', { accountId: '*', organizationId: 'o-a1b2c3d4e5' });
    layer.addPermission('Account', { accountId: '123456789012' });
    expect(layerPublic.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('non-compliant: a layer shared with every account, reported on the permission', () => {
    const stack = newStack();
    const { fn, layer } = withLayer(stack);
    layer.addPermission('Public', { accountId: '*' });
    const layerId = stack.resolve((layer.node.defaultChild as lambda.CfnLayerVersion).logicalId);
    expect(layerPublic.check(FunctionView.of(fn))).toEqual([
      { resource: permission(layer, 'Public'), problem: `layer version ${layerId} is shared with every AWS account (Principal '*', no OrganizationId)` },
    ]);
  });

  test('non-compliant: an L1 layer permission for Principal *', () => {
    const stack = newStack();
    const layer = new lambda.CfnLayerVersion(stack, 'L1Layer', { content: { s3Bucket: 'bucket', s3Key: 'layer.zip' } });
    const fn = cfnFunction(stack, { layers: [layer.ref] });
    const open = new lambda.CfnLayerVersionPermission(stack, 'Open', { action: 'lambda:GetLayerVersion', layerVersionArn: layer.ref, principal: '*' });
    expect(layerPublic.check(FunctionView.of(fn))).toEqual([
      { resource: open, problem: 'layer version L1Layer is shared with every AWS account (Principal \'*\', no OrganizationId)' },
    ]);
  });

  test('not applicable: no layers, or only layers from outside the stack', () => {
    const stack = newStack();
    expect(layerPublic.check(FunctionView.of(cfnFunction(stack)))).toBe('NOT_APPLICABLE');
    const imported = cfnFunction(stack, { layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared:3'] });
    expect(layerPublic.check(FunctionView.of(imported))).toBe('NOT_APPLICABLE');
  });

  test('unresolved: a principal from a parameter is not judged', () => {
    const stack = newStack();
    const { fn, layer } = withLayer(stack);
    new lambda.CfnLayerVersionPermission(stack, 'Param', {
      action: 'lambda:GetLayerVersion', layerVersionArn: layer.layerVersionArn, principal: new CfnParameter(stack, 'Principal').valueAsString,
    });
    expect(layerPublic.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
