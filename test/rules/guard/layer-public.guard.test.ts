import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HANDLER_ASSET } from '../../support/fixtures';
import { runGuard, stackIn, verdictOf } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-layer-public';

function withLayer(stack: Stack): { fn: lambda.Function; layer: lambda.LayerVersion } {
  const layer = new lambda.LayerVersion(stack, 'Layer', { code: lambda.Code.fromAsset(HANDLER_ASSET) });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), layers: [layer],
  });
  return { fn, layer };
}

describe(`${RULE} in Guard`, () => {
  test('non-compliant: a layer shared with every account fails both, on the permission', () => {
    const { app, stack } = stackIn();
    const { layer } = withLayer(stack);
    layer.addPermission('Public', { accountId: '*' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    const failure = runGuard(app.synth().getStackByName('Stack').template).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve((layer.node.findChild('Public') as lambda.CfnLayerVersionPermission).logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-layer-public\] No layer version the function uses is shared with every AWS account\. Fix: /);
  });

  test('non-compliant: an L1 layer permission for Principal * fails both', () => {
    const { app, stack } = stackIn();
    const layer = new lambda.CfnLayerVersion(stack, 'L1Layer', { content: { s3Bucket: 'bucket', s3Key: 'layer.zip' } });
    cfnFunction(stack, { layers: [layer.ref] }, 'Fn');
    new lambda.CfnLayerVersionPermission(stack, 'Open', { action: 'lambda:GetLayerVersion', layerVersionArn: layer.ref, principal: '*' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: an in-stack layer not shared, or shared with the organization or an account only', () => {
    for (const shared of [false, true]) {
      const { app, stack } = stackIn();
      const { layer } = withLayer(stack);
      if (shared) {
        layer.addPermission('Org', { accountId: '*', organizationId: 'o-a1b2c3d4e5' });
        layer.addPermission('Account', { accountId: '123456789012' });
      }
      expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
    }
  });

  test('compliant: a public layer no function of the stack uses', () => {
    const { app, stack } = stackIn();
    new lambda.LayerVersion(stack, 'Unused', { code: lambda.Code.fromAsset(HANDLER_ASSET) }).addPermission('Public', { accountId: '*' });
    cfnFunction(stack, {}, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('not applicable: no layers, or only layers from outside the stack', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Bare');
    cfnFunction(stack, { layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared:3'] }, 'Imported');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: a principal from a parameter passes both', () => {
    const { app, stack } = stackIn();
    const { layer } = withLayer(stack);
    new lambda.CfnLayerVersionPermission(stack, 'Param', {
      action: 'lambda:GetLayerVersion', layerVersionArn: layer.layerVersionArn, principal: new CfnParameter(stack, 'Principal').valueAsString,
    });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged on the function or on the permission: the exception travels in Metadata.guard.SuppressedRules', () => {
    for (const on of ['function', 'permission']) {
      const { app, stack } = stackIn();
      const { fn, layer } = withLayer(stack);
      layer.addPermission('Public', { accountId: '*' });
      Validations.of(on === 'function' ? fn : layer.node.findChild('Public')).acknowledge({ id: RULE, reason: 'an open-source layer, published on purpose' });
      expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
    }
  });
});
