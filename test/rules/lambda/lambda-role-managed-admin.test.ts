import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { roleManagedAdmin } from '../../../src/rules/lambda/lambda-role-managed-admin';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/** An L1 function (id 'Fn') whose L1 role has these managed policy ARNs (literals or intrinsics, as written). */
function l1(stack: Stack, managedPolicyArns: unknown[]): { fn: lambda.CfnFunction; role: iam.CfnRole } {
  const fn = cfnFunction(stack, {}, 'Fn');
  const role = stack.node.findChild('FnRole') as iam.CfnRole;
  role.addPropertyOverride('ManagedPolicyArns', managedPolicyArns);
  return { fn, role };
}

/** An L2 function (id 'Fn') with AdministratorAccess on its role (an Fn::Join with AWS::Partition). */
function adminL2(stack: Stack): { fn: lambda.Function; role: iam.CfnRole } {
  const fn = l2(stack);
  fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
  return { fn, role: fn.role!.node.defaultChild as iam.CfnRole };
}

/** One row per admin policy ARN, each beside AWSLambdaBasicExecutionRole on an L1 role. */
const ADMIN_ARNS: Array<{ what: string; arn: unknown; policy: string }> = [
  { what: 'PowerUserAccess as a literal', arn: 'arn:aws:iam::aws:policy/PowerUserAccess', policy: 'PowerUserAccess' },
  { what: 'IAMFullAccess as an aws-cn literal', arn: 'arn:aws-cn:iam::aws:policy/IAMFullAccess', policy: 'IAMFullAccess' },
  { what: '*FullAccess in a Fn::Sub', arn: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonS3FullAccess' }, policy: 'AmazonS3FullAccess' },
  { what: 'a job-function path', arn: 'arn:aws:iam::aws:policy/job-function/AdministratorAccess-Amplify', policy: 'job-function/AdministratorAccess-Amplify' },
  {
    what: 'a Fn::Join on \':\'',
    arn: { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'iam', '', 'aws', 'policy/AmazonDynamoDBFullAccess']] },
    policy: 'AmazonDynamoDBFullAccess',
  },
];

ruleTable(roleManagedAdmin, [
  {
    name: 'compliant: AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole, ReadOnlyAccess, a customer managed policy (L2)',
    build: (stack) => {
      const fn = l2(stack);
      fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
      fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
      fn.role!.addManagedPolicy(new iam.ManagedPolicy(stack, 'Custom', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }));
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: AdministratorAccess on the L2 role (Fn::Join with AWS::Partition), on the role',
    build: (stack) => {
      const { fn, role } = adminL2(stack);
      return { fn, check: [{ on: role, problem: `role ${stack.resolve(role.logicalId)} has the AWS managed policy AdministratorAccess attached` }] };
    },
    guardPointsAt: (stack) => [stack.resolve(((stack.node.findChild('Fn') as lambda.Function).role!.node.defaultChild as iam.CfnRole).logicalId)],
  },
  {
    name: 'non-compliant: PowerUserAccess, IAMFullAccess and any *FullAccess, as literals and Fn::Sub, one violation each, in order',
    build: (stack) => {
      const { fn, role } = l1(stack, [
        'arn:aws:iam::aws:policy/PowerUserAccess',
        'arn:aws-cn:iam::aws:policy/IAMFullAccess',
        { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonS3FullAccess' },
        BASIC,
      ]);
      return {
        fn,
        check: [
          { on: role, problem: 'role FnRole has the AWS managed policy PowerUserAccess attached' },
          { on: role, problem: 'role FnRole has the AWS managed policy IAMFullAccess attached' },
          { on: role, problem: 'role FnRole has the AWS managed policy AmazonS3FullAccess attached' },
        ],
      };
    },
    guardPointsAt: () => ['FnRole'],
  },
  ...ADMIN_ARNS.map(({ what, arn, policy }) => ({
    name: `non-compliant: ${what}, beside AWSLambdaBasicExecutionRole`,
    build: (stack: Stack) => {
      const { fn, role } = l1(stack, [arn, BASIC]);
      return { fn, check: [{ on: role, problem: `role FnRole has the AWS managed policy ${policy} attached` }] };
    },
    guardPointsAt: () => ['FnRole'],
  })),
  {
    name: 'non-compliant: a role the function names with Fn::Sub is judged too',
    build: (stack) => {
      const { fn, role } = l1(stack, ['arn:aws:iam::aws:policy/AdministratorAccess']);
      fn.addPropertyOverride('Role', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${FnRole}' });
      return { fn, check: [{ on: role, problem: 'role FnRole has the AWS managed policy AdministratorAccess attached' }] };
    },
  },
  {
    name: 'unresolved: an imported role',
    build: (stack) => ({ fn: cfnFunction(stack, { role: 'arn:aws:iam::123456789012:role/existing' }, 'Fn'), check: 'UNRESOLVED' }),
  },
  {
    name: 'unresolved: a policy ARN from a parameter',
    build: (stack) => ({ fn: l1(stack, [new CfnParameter(stack, 'PolicyArn').valueAsString]).fn, check: 'UNRESOLVED' }),
  },
  {
    name: 'unresolved: a Fn::Sub of another variable',
    build: (stack) => {
      new CfnParameter(stack, 'PolicyArn');
      return { fn: l1(stack, [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/${PolicyArn}' }]).fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: on the function (its role is its child)',
    build: (stack) => {
      const { fn, role } = adminL2(stack);
      Validations.of(fn).acknowledge({ id: roleManagedAdmin.id, reason: 'an account bootstrap function' });
      return { fn, check: [{ on: role, problem: `role ${stack.resolve(role.logicalId)} has the AWS managed policy AdministratorAccess attached` }] };
    },
    reported: false,
  },
  {
    name: 'acknowledged: on the reported role',
    build: (stack) => {
      const { fn, role } = l1(stack, ['arn:aws:iam::aws:policy/AdministratorAccess']);
      Validations.of(role).acknowledge({ id: roleManagedAdmin.id, reason: 'an account bootstrap function' });
      return { fn, check: [{ on: role, problem: 'role FnRole has the AWS managed policy AdministratorAccess attached' }] };
    },
    reported: false,
  },
]);
