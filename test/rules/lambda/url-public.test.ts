import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { urlPublic } from '../../../src/rules/lambda/lambda-url-public';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function l2(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
}

/** The L2 resource a construct path ends with, as an L1. */
function child<T>(scope: lambda.Function | lambda.FunctionUrl, id: string): T {
  return scope.node.findChild(id) as T;
}

describe('lambda-url-public', () => {
  test('compliant: the L2 URL with AWS_IAM', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    expect(urlPublic.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
  });

  test('non-compliant: the L2 URL with NONE, and its permission to everyone', () => {
    const stack = newStack();
    const fn = l2(stack);
    const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    const cfnUrl = url.node.defaultChild as lambda.CfnUrl;
    const permission = child<lambda.CfnPermission>(fn, 'invoke-function-url');
    expect(urlPublic.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toEqual([
      { resource: cfnUrl, problem: `function URL ${stack.resolve(cfnUrl.logicalId)} has AuthType NONE: anyone can invoke it without authentication` },
      { resource: permission, problem: `permission ${stack.resolve(permission.logicalId)} lets anyone (Principal '*') invoke the function URL with FunctionUrlAuthType NONE` },
    ]);
  });

  test('non-compliant: an L1 URL with NONE on an alias', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
    const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
    const url = new lambda.CfnUrl(stack, 'AliasUrl', { targetFunctionArn: alias.ref, authType: 'NONE', qualifier: 'live' });
    expect(urlPublic.check(FunctionView.of(fn))).toEqual([
      { resource: url, problem: 'function URL AliasUrl (qualifier live) has AuthType NONE: anyone can invoke it without authentication' },
    ]);
  });

  test('non-compliant: a permission with FunctionUrlAuthType NONE to everyone, beside an AWS_IAM URL', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: 'AWS_IAM' });
    const permission = new lambda.CfnPermission(stack, 'Anyone', {
      functionName: fn.attrArn, action: 'lambda:InvokeFunctionUrl', principal: '*', functionUrlAuthType: 'NONE',
    });
    new lambda.CfnPermission(stack, 'OneAccount', {
      functionName: fn.attrArn, action: 'lambda:InvokeFunctionUrl', principal: '123456789012', functionUrlAuthType: 'AWS_IAM',
    });
    expect(urlPublic.check(FunctionView.of(fn))).toEqual([
      { resource: permission, problem: "permission Anyone lets anyone (Principal '*') invoke the function URL with FunctionUrlAuthType NONE" },
    ]);
  });

  test('unresolved: AuthType from a parameter', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: new CfnParameter(stack, 'Auth').valueAsString });
    expect(urlPublic.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });

  test('not applicable: no function URL', () => {
    const stack = newStack();
    expect(urlPublic.check(FunctionView.of(cfnFunction(stack)))).toBe('NOT_APPLICABLE');
  });
});
