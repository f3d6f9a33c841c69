import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { roleManagedAdmin } from '../../../src/rules/lambda/lambda-role-managed-admin';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function l2(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
}

/** An L1 function (id 'Fn') whose L1 role has these managed policy ARNs. */
function l1(stack: Stack, managedPolicyArns: string[]): { fn: lambda.CfnFunction; role: iam.CfnRole } {
  const fn = cfnFunction(stack, {}, 'Fn');
  const role = stack.node.findChild('FnRole') as iam.CfnRole;
  role.managedPolicyArns = managedPolicyArns;
  return { fn, role };
}

describe('lambda-role-managed-admin', () => {
  test('compliant: AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole, ReadOnlyAccess, a customer managed policy (L2)', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    fn.role!.addManagedPolicy(new iam.ManagedPolicy(stack, 'Custom', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }));
    expect(roleManagedAdmin.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
  });

  test('non-compliant: AdministratorAccess on the L2 role (Fn::Join with AWS::Partition)', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    const role = fn.role!.node.defaultChild as iam.CfnRole;
    expect(roleManagedAdmin.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toEqual([
      { resource: role, problem: `role ${stack.resolve(role.logicalId)} has the AWS managed policy AdministratorAccess attached` },
    ]);
  });

  test('non-compliant: PowerUserAccess, IAMFullAccess and any *FullAccess, as literals and Fn::Sub', () => {
    const stack = newStack();
    const { fn, role } = l1(stack, [
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws-cn:iam::aws:policy/IAMFullAccess',
      'arn:${AWS::Partition}:iam::aws:policy/AmazonS3FullAccess',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ]);
    role.addPropertyOverride('ManagedPolicyArns.2', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonS3FullAccess' });
    expect(roleManagedAdmin.check(FunctionView.of(fn))).toEqual([
      { resource: role, problem: 'role FnRole has the AWS managed policy PowerUserAccess attached' },
      { resource: role, problem: 'role FnRole has the AWS managed policy IAMFullAccess attached' },
      { resource: role, problem: 'role FnRole has the AWS managed policy AmazonS3FullAccess attached' },
    ]);
  });

  test('unresolved: an imported role, a policy ARN from a parameter', () => {
    const stack = newStack();
    const imported = cfnFunction(stack, { role: 'arn:aws:iam::123456789012:role/existing' });
    expect(roleManagedAdmin.check(FunctionView.of(imported))).toBe('UNRESOLVED');
    const { fn } = l1(stack, [new CfnParameter(stack, 'PolicyArn').valueAsString]);
    expect(roleManagedAdmin.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
