import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { roleWildcard } from '../../../src/rules/lambda/lambda-role-wildcard';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const BUCKET = 'arn:aws:s3:::my-bucket/*';

/** An L1 function (id 'Fn') and its L1 role. */
function l1(stack: Stack): { fn: lambda.CfnFunction; role: iam.CfnRole } {
  const fn = cfnFunction(stack, {}, 'Fn');
  return { fn, role: stack.node.findChild('FnRole') as iam.CfnRole };
}

/** The AWS::IAM::Policy CDK made for the role of an L2 function. */
function defaultPolicyOf(fn: lambda.Function): iam.CfnPolicy {
  return fn.role!.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
}

/** An L2 function (id 'Fn') granting s3:GetObject and s3:* on every resource. */
function s3Everywhere(stack: Stack): { fn: lambda.Function; policy: iam.CfnPolicy } {
  const fn = l2(stack);
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:*'], resources: ['*'] }));
  return { fn, policy: defaultPolicyOf(fn) };
}

/** An L1 AWS::IAM::Policy 'Everything' naming `role`, allowing `action` on every resource. */
function everything(stack: Stack, role: iam.CfnRole, action = '*'): iam.CfnPolicy {
  return new iam.CfnPolicy(stack, 'Everything', {
    policyName: 'everything', roles: [role.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] },
  });
}

/** A customer managed policy 'Tables' allowing dynamodb:* on a NotResource. */
function tables(stack: Stack): iam.CfnManagedPolicy {
  return new iam.CfnManagedPolicy(stack, 'Tables', {
    policyDocument: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:*'], NotResource: 'arn:aws:dynamodb:*:*:table/audit' }] },
  });
}

const ACTION_STAR_ON_BUCKET = { Effect: 'Allow', Action: '*', Resource: BUCKET };
const NOT_ACTION = { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' };

ruleTable(roleWildcard, [
  {
    name: 'compliant: specific actions, Resource \'*\' only for actions without resource-level permissions, a Deny \'*\' (L2)',
    build: (stack) => {
      const fn = l2(stack);
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'ec2:CreateNetworkInterface'], resources: ['*'] }));
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [BUCKET] }));
      fn.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] }));
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: the L2 granting s3:* on every resource, on its AWS::IAM::Policy',
    build: (stack) => {
      const { fn, policy } = s3Everywhere(stack);
      return { fn, check: [{ on: policy, problem: `policy ${stack.resolve(policy.logicalId)} allows Action 's3:*' on Resource '*'` }] };
    },
    guardPointsAt: (stack) => [stack.resolve(defaultPolicyOf(stack.node.findChild('Fn') as lambda.Function).logicalId)],
  },
  {
    name: 'non-compliant: an inline Action \'*\' (on a bucket), on the role',
    build: (stack) => {
      const { fn, role } = l1(stack);
      role.policies = [{ policyName: 'Admin', policyDocument: { Statement: [ACTION_STAR_ON_BUCKET] } }];
      return { fn, check: [{ on: role, problem: "inline policy Admin of role FnRole allows Action '*': every action of every service" }] };
    },
    guardPointsAt: () => ['FnRole'],
  },
  {
    name: 'non-compliant: an inline NotAction, on the role',
    build: (stack) => {
      const { fn, role } = l1(stack);
      role.policies = [{ policyName: 'Admin', policyDocument: { Statement: [NOT_ACTION] } }];
      return { fn, check: [{ on: role, problem: 'inline policy Admin of role FnRole allows NotAction ["iam:*"]: every action but those' }] };
    },
    guardPointsAt: () => ['FnRole'],
  },
  {
    name: 'non-compliant: dynamodb:* with a NotResource in a customer managed policy listed in ManagedPolicyArns, on the policy',
    build: (stack) => {
      const { fn, role } = l1(stack);
      const managed = tables(stack);
      role.managedPolicyArns = [managed.ref];
      return { fn, check: [{ on: managed, problem: "policy Tables allows Action 'dynamodb:*' on NotResource (every other resource)" }] };
    },
    guardPointsAt: () => ['Tables'],
  },
  {
    name: 'non-compliant: inline \'*\' and NotAction on the role, dynamodb:* with NotResource in a customer managed policy, in that order',
    build: (stack) => {
      const { fn, role } = l1(stack);
      role.policies = [{ policyName: 'Admin', policyDocument: { Statement: [ACTION_STAR_ON_BUCKET, NOT_ACTION] } }];
      const managed = tables(stack);
      role.managedPolicyArns = [managed.ref];
      return {
        fn,
        check: [
          { on: role, problem: "inline policy Admin of role FnRole allows Action '*': every action of every service" },
          { on: role, problem: 'inline policy Admin of role FnRole allows NotAction ["iam:*"]: every action but those' },
          { on: managed, problem: "policy Tables allows Action 'dynamodb:*' on NotResource (every other resource)" },
        ],
      };
    },
    guardPointsAt: () => ['FnRole', 'Tables'],
  },
  {
    name: 'non-compliant: \'*:*\' in an L1 AWS::IAM::Policy naming the role',
    build: (stack) => {
      const { fn, role } = l1(stack);
      const policy = everything(stack, role, '*:*');
      return { fn, check: [{ on: policy, problem: "policy Everything allows Action '*:*': every action of every service" }] };
    },
    guardPointsAt: () => ['Everything'],
  },
  {
    name: 'compliant: a policy of a role no function uses is not judged',
    build: (stack) => {
      const { fn } = l1(stack);
      const other = new iam.CfnRole(stack, 'Other', {
        assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      });
      everything(stack, other);
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'unresolved: an imported role',
    build: (stack) => ({ fn: cfnFunction(stack, { role: 'arn:aws:iam::123456789012:role/existing' }, 'Fn'), check: 'UNRESOLVED' }),
  },
  {
    name: 'unresolved: an action from a parameter',
    build: (stack) => {
      const { fn, role } = l1(stack);
      role.policies = [{ policyName: 'P', policyDocument: { Statement: [{ Effect: 'Allow', Action: new CfnParameter(stack, 'Action').valueAsString, Resource: '*' }] } }];
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: on the function (its role and policy are its children)',
    build: (stack) => {
      const fn = l2(stack);
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
      Validations.of(fn).acknowledge({ id: roleWildcard.id, reason: 'a break-glass function' });
      const policy = defaultPolicyOf(fn);
      return { fn, check: [{ on: policy, problem: `policy ${stack.resolve(policy.logicalId)} allows Action 's3:*' on Resource '*'` }] };
    },
    reported: false,
  },
  {
    name: 'acknowledged: on the reported policy',
    build: (stack) => {
      const { fn, role } = l1(stack);
      const policy = everything(stack, role);
      Validations.of(policy).acknowledge({ id: roleWildcard.id, reason: 'a break-glass function' });
      return { fn, check: [{ on: policy, problem: "policy Everything allows Action '*': every action of every service" }] };
    },
    reported: false,
  },
  {
    name: 'acknowledged: on the role only, its inline policy passes',
    build: (stack) => {
      const { fn, role } = l1(stack);
      role.policies = [{ policyName: 'Admin', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
      Validations.of(role).acknowledge({ id: roleWildcard.id, reason: 'reviewed inline policy' });
      return { fn, check: [{ on: role, problem: "inline policy Admin of role FnRole allows Action '*': every action of every service" }] };
    },
    reported: false,
  },
  {
    name: 'non-compliant: acknowledged on the role only, an AWS::IAM::Policy naming it still fails both, on that policy',
    build: (stack) => {
      const { fn, role } = l1(stack);
      role.policies = [{ policyName: 'Admin', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
      Validations.of(role).acknowledge({ id: roleWildcard.id, reason: 'reviewed inline policy' });
      const policy = everything(stack, role);
      return {
        fn,
        check: [
          { on: role, problem: "inline policy Admin of role FnRole allows Action '*': every action of every service" },
          { on: policy, problem: "policy Everything allows Action '*': every action of every service" },
        ],
      };
    },
    reported: true,
    guardPointsAt: () => ['Everything'],
  },
]);
