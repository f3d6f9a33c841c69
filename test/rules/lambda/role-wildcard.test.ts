import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { roleWildcard } from '../../../src/rules/lambda/lambda-role-wildcard';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function l2(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
}

/** An L1 function (id 'Fn') and its L1 role. */
function l1(stack: Stack): { fn: lambda.CfnFunction; role: iam.CfnRole } {
  const fn = cfnFunction(stack, {}, 'Fn');
  return { fn, role: stack.node.findChild('FnRole') as iam.CfnRole };
}

const BUCKET = 'arn:aws:s3:::my-bucket/*';

describe('lambda-role-wildcard', () => {
  test('compliant: specific actions, Resource \'*\' only for actions without resource-level permissions (L2)', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'ec2:CreateNetworkInterface'], resources: ['*'] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [BUCKET] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] }));
    expect(roleWildcard.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
  });

  test('non-compliant: the L2 granting s3:* on every resource (AWS::IAM::Policy)', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:*'], resources: ['*'] }));
    const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
    expect(roleWildcard.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toEqual([
      { resource: policy, problem: `policy ${stack.resolve(policy.logicalId)} allows Action 's3:*' on Resource '*'` },
    ]);
  });

  test('non-compliant: inline \'*\' and NotAction on the role, dynamodb:* with NotResource in a customer managed policy', () => {
    const stack = newStack();
    const { fn, role } = l1(stack);
    role.policies = [{
      policyName: 'Admin',
      policyDocument: {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: BUCKET },
          { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' },
        ],
      },
    }];
    const managed = new iam.CfnManagedPolicy(stack, 'Tables', {
      policyDocument: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:*'], NotResource: 'arn:aws:dynamodb:*:*:table/audit' }] },
    });
    role.managedPolicyArns = [managed.ref];
    expect(roleWildcard.check(FunctionView.of(fn))).toEqual([
      { resource: role, problem: "inline policy Admin of role FnRole allows Action '*': every action of every service" },
      { resource: role, problem: 'inline policy Admin of role FnRole allows NotAction ["iam:*"]: every action but those' },
      { resource: managed, problem: "policy Tables allows Action 'dynamodb:*' on NotResource (every other resource)" },
    ]);
  });

  test('non-compliant: \'*:*\' in an L1 AWS::IAM::Policy', () => {
    const stack = newStack();
    const { fn, role } = l1(stack);
    const policy = new iam.CfnPolicy(stack, 'Everything', {
      policyName: 'everything', roles: [role.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }] },
    });
    expect(roleWildcard.check(FunctionView.of(fn))).toEqual([
      { resource: policy, problem: "policy Everything allows Action '*:*': every action of every service" },
    ]);
  });

  test('unresolved: an imported role, an action from a parameter', () => {
    const stack = newStack();
    const imported = cfnFunction(stack, { role: 'arn:aws:iam::123456789012:role/existing' });
    expect(roleWildcard.check(FunctionView.of(imported))).toBe('UNRESOLVED');
    const { fn, role } = l1(stack);
    role.policies = [{ policyName: 'P', policyDocument: { Statement: [{ Effect: 'Allow', Action: new CfnParameter(stack, 'Action').valueAsString, Resource: '*' }] } }];
    expect(roleWildcard.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
