import { Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { invokeNoSourceCondition } from '../../../src/rules/lambda/lambda-invoke-no-source-condition';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function l2(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
}

describe('lambda-invoke-no-source-condition', () => {
  test('compliant: addPermission with a service principal and sourceArn, an account principal without one', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.addPermission('FromRule', { principal: new iam.ServicePrincipal('events.amazonaws.com'), sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/nightly' });
    fn.addPermission('FromBucket', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceAccount: '123456789012' });
    fn.grantInvoke(new iam.AccountPrincipal('123456789012'));
    expect(invokeNoSourceCondition.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
  });

  test('non-compliant: grantInvoke to a service principal on the L2', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));
    const permission = fn.node.findAll().find((c) => c instanceof lambda.CfnPermission) as lambda.CfnPermission;
    expect(invokeNoSourceCondition.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toEqual([{
      resource: permission,
      problem: `permission ${stack.resolve(permission.logicalId)} lets service principal events.amazonaws.com invoke the function with no SourceArn or SourceAccount`,
    }]);
  });

  test('non-compliant: L1 permissions for a China-region principal, and a principal joined with AWS::URLSuffix', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    const cn = new lambda.CfnPermission(stack, 'China', { functionName: fn.ref, action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com.cn' });
    const joined = new lambda.CfnPermission(stack, 'Joined', { functionName: fn.ref, action: 'lambda:InvokeFunction', principal: Fn.join('', ['logs.', Aws.URL_SUFFIX]) });
    expect(invokeNoSourceCondition.check(FunctionView.of(fn))).toEqual([
      { resource: cn, problem: 'permission China lets service principal sns.amazonaws.com.cn invoke the function with no SourceArn or SourceAccount' },
      { resource: joined, problem: 'permission Joined lets service principal logs.amazonaws.com invoke the function with no SourceArn or SourceAccount' },
    ]);
  });

  test('unresolved: a principal from a parameter', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    new lambda.CfnPermission(stack, 'Param', { functionName: fn.ref, action: 'lambda:InvokeFunction', principal: new CfnParameter(stack, 'Who').valueAsString });
    expect(invokeNoSourceCondition.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
