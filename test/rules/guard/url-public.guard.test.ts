import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { plainL2 as l2, runGuard, stackIn, verdictOf } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-url-public';

describe(`${RULE} in Guard`, () => {
  test('non-compliant: the L2 URL with NONE fails both, on the URL and on its permission to everyone', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    const failure = runGuard(app.synth().getStackByName('Stack').template).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([
      stack.resolve((url.node.defaultChild as lambda.CfnUrl).logicalId),
      stack.resolve((fn.node.findChild('invoke-function-url') as lambda.CfnPermission).logicalId),
    ].sort());
    expect(failure.messages[0]).toMatch(/^\[lambda-url-public\] Function URLs require AWS_IAM authentication \(no AuthType NONE\)\. Fix: /);
  });

  test('non-compliant: an L1 URL with NONE on an alias fails both', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
    const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
    new lambda.CfnUrl(stack, 'AliasUrl', { targetFunctionArn: alias.ref, authType: 'NONE', qualifier: 'live' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('non-compliant: a permission with FunctionUrlAuthType NONE to everyone, beside an AWS_IAM URL, fails both', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: 'AWS_IAM' });
    new lambda.CfnPermission(stack, 'Anyone', { functionName: fn.attrArn, action: 'lambda:InvokeFunctionUrl', principal: '*', functionUrlAuthType: 'NONE' });
    new lambda.CfnPermission(stack, 'OneAccount', { functionName: fn.attrArn, action: 'lambda:InvokeFunctionUrl', principal: '123456789012', functionUrlAuthType: 'AWS_IAM' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    const failure = runGuard(app.synth().getStackByName('Stack').template).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual(['Anyone']);
  });

  test('compliant: the L2 URL with AWS_IAM', () => {
    const { app, stack } = stackIn();
    l2(stack).addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('not applicable: no function URL', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: AuthType, or the permission\'s principal, from a parameter passes both', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: new CfnParameter(stack, 'Auth').valueAsString });
    new lambda.CfnPermission(stack, 'Someone', {
      functionName: fn.attrArn, action: 'lambda:InvokeFunctionUrl', principal: new CfnParameter(stack, 'Who').valueAsString, functionUrlAuthType: 'NONE',
    });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged on the function: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    Validations.of(fn).acknowledge({ id: RULE, reason: 'a public status endpoint' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged on the URL and its permission: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    Validations.of(url).acknowledge({ id: RULE, reason: 'a public status endpoint' });
    Validations.of(fn.node.findChild('invoke-function-url')).acknowledge({ id: RULE, reason: 'a public status endpoint' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged on the URL only: its permission to everyone still fails both', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    Validations.of(fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE })).acknowledge({ id: RULE, reason: 'a public status endpoint' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });
});
