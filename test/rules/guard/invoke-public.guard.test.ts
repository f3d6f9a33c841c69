import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { plainL2 as l2, runGuard, stackIn, verdictOf } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-invoke-public';

function permission(stack: Stack, id: string, fn: lambda.CfnFunction, props: Partial<lambda.CfnPermissionProps> = {}): lambda.CfnPermission {
  return new lambda.CfnPermission(stack, id, { functionName: fn.attrArn, action: 'lambda:InvokeFunction', principal: '*', ...props });
}

describe(`${RULE} in Guard`, () => {
  test('non-compliant: the L2 granting AnyPrincipal fails both, on the permission', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.addPermission('Anyone', { principal: new iam.AnyPrincipal() });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    const failure = runGuard(app.synth().getStackByName('Stack').template).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve((fn.node.findChild('Anyone') as lambda.CfnPermission).logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-invoke-public\] No permission lets any principal invoke the function/);
  });

  test.each([
    ['\'*\' on an alias', (stack: Stack, fn: lambda.CfnFunction) => {
      const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
      const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
      permission(stack, 'Star', fn, { functionName: alias.ref });
    }],
    ['\'*\' on a version', (stack: Stack, fn: lambda.CfnFunction) => {
      permission(stack, 'Star', fn, { functionName: new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref }).ref });
    }],
    ['every account root', (stack: Stack, fn: lambda.CfnFunction) => permission(stack, 'Roots', fn, { principal: 'arn:aws:iam::*:root' })],
    ['\'*\' with an AWS_IAM URL auth type', (stack: Stack, fn: lambda.CfnFunction) => {
      permission(stack, 'IamUrl', fn, { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'AWS_IAM' });
    }],
  ])('non-compliant: an L1 permission for %s fails both', (_, add) => {
    const { app, stack } = stackIn();
    add(stack, cfnFunction(stack, {}, 'Fn'));
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: an account, an organization, a public URL (judged by lambda-url-public)', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.grantInvoke(new iam.AccountPrincipal('123456789012'));
    fn.grantInvoke(new iam.OrganizationPrincipal('o-abc1234567'));
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: \'*\' with PrincipalOrgID, even from a parameter', () => {
    const { app, stack } = stackIn();
    permission(stack, 'Org', cfnFunction(stack, {}, 'Fn'), { principalOrgId: new CfnParameter(stack, 'OrgId').valueAsString });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: a permission for a function outside the stack is not judged', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    new lambda.CfnPermission(stack, 'Elsewhere', { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:other', action: 'lambda:InvokeFunction', principal: '*' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: a principal from a parameter passes both', () => {
    const { app, stack } = stackIn();
    permission(stack, 'Param', cfnFunction(stack, {}, 'Fn'), { principal: new CfnParameter(stack, 'Who').valueAsString });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged on the function or on the permission: the exception travels in Metadata.guard.SuppressedRules', () => {
    for (const on of ['function', 'permission']) {
      const { app, stack } = stackIn();
      const fn = cfnFunction(stack, {}, 'Fn');
      const open = permission(stack, 'Star', fn);
      Validations.of(on === 'function' ? fn : open).acknowledge({ id: RULE, reason: 'a public webhook, rate-limited upstream' });
      expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
    }
  });
});
