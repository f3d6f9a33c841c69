import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { invokePublic } from '../../../src/rules/lambda/lambda-invoke-public';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function l2(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
}

function permission(stack: Stack, id: string, fn: lambda.CfnFunction, props: Partial<lambda.CfnPermissionProps>): lambda.CfnPermission {
  return new lambda.CfnPermission(stack, id, { functionName: fn.attrArn, action: 'lambda:InvokeFunction', principal: '*', ...props });
}

describe('lambda-invoke-public', () => {
  test('compliant: an account, an organization, a public URL (judged by lambda-url-public)', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.grantInvoke(new iam.AccountPrincipal('123456789012'));
    fn.grantInvoke(new iam.OrganizationPrincipal('o-abc1234567'));
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    expect(invokePublic.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
  });

  test('non-compliant: the L2 granting AnyPrincipal', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.addPermission('Anyone', { principal: new iam.AnyPrincipal() });
    const cfn = fn.node.findChild('Anyone') as lambda.CfnPermission;
    expect(invokePublic.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toEqual([
      { resource: cfn, problem: `permission ${stack.resolve(cfn.logicalId)} grants lambda:InvokeFunction to Principal '*' without PrincipalOrgID` },
    ]);
  });

  test('non-compliant: L1 permissions for \'*\' on an alias and for every account root, even with an AWS_IAM URL auth type', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
    const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
    const star = permission(stack, 'Star', fn, { functionName: alias.ref });
    const roots = permission(stack, 'Roots', fn, { principal: 'arn:aws:iam::*:root' });
    const iamUrl = permission(stack, 'IamUrl', fn, { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'AWS_IAM' });
    expect(invokePublic.check(FunctionView.of(fn))).toEqual([
      { resource: star, problem: "permission Star grants lambda:InvokeFunction to Principal '*' without PrincipalOrgID" },
      { resource: roots, problem: "permission Roots grants lambda:InvokeFunction to Principal 'arn:aws:iam::*:root' without PrincipalOrgID" },
      { resource: iamUrl, problem: "permission IamUrl grants lambda:InvokeFunctionUrl to Principal '*' without PrincipalOrgID" },
    ]);
  });

  test('compliant: \'*\' with PrincipalOrgID, even from a parameter', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    permission(stack, 'Org', fn, { principalOrgId: new CfnParameter(stack, 'OrgId').valueAsString });
    expect(invokePublic.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('unresolved: a principal from a parameter', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    permission(stack, 'Param', fn, { principal: new CfnParameter(stack, 'Who').valueAsString });
    expect(invokePublic.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
