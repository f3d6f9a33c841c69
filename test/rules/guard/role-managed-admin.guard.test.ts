import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { plainL2 as l2, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-role-managed-admin';

/** An L1 function (id 'Fn') whose L1 role has these managed policy ARNs. */
function l1(stack: Stack, managedPolicyArns: unknown[]): { fn: lambda.CfnFunction; role: iam.CfnRole } {
  const fn = cfnFunction(stack, {}, 'Fn');
  const role = stack.node.findChild('FnRole') as iam.CfnRole;
  role.addPropertyOverride('ManagedPolicyArns', managedPolicyArns);
  return { fn, role };
}

describe(`${RULE} in Guard`, () => {
  test('compliant: AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole, ReadOnlyAccess, a customer managed policy (L2)', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    fn.role!.addManagedPolicy(new iam.ManagedPolicy(stack, 'Custom', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }));
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('non-compliant: AdministratorAccess on the L2 role (Fn::Join with AWS::Partition): both fail, on the role', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    const role = fn.role!.node.defaultChild as iam.CfnRole;
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    const failure = v.guardFailures.Stack.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve(role.logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-role-managed-admin\] The execution role has no AWS managed administrator or \*FullAccess policy attached\. Fix: /);
  });

  test('non-compliant: PowerUserAccess, IAMFullAccess (aws-cn) literals, *FullAccess in a Fn::Sub, a job-function path, a Fn::Join on \':\'', () => {
    const arns = [
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws-cn:iam::aws:policy/IAMFullAccess',
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonS3FullAccess' },
      'arn:aws:iam::aws:policy/job-function/AdministratorAccess-Amplify',
      { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'iam', '', 'aws', 'policy/AmazonDynamoDBFullAccess']] },
    ];
    for (const arn of arns) {
      const { app, stack } = stackIn();
      l1(stack, [arn, 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
      expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    }
  });

  test('a role the function names with Fn::Sub is judged too', () => {
    const { app, stack } = stackIn();
    const { fn } = l1(stack, ['arn:aws:iam::aws:policy/AdministratorAccess']);
    fn.addPropertyOverride('Role', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${FnRole}' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('unresolved: an imported role, a policy ARN from a parameter, a Fn::Sub of another variable, pass both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { role: 'arn:aws:iam::123456789012:role/existing' }, 'Imported');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });

    for (const arn of [{ Ref: 'PolicyArn' }, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/${PolicyArn}' }]) {
      const other = stackIn();
      new CfnParameter(other.stack, 'PolicyArn');
      l1(other.stack, [arn]);
      expect(verdictOf(other.app, RULE)).toEqual({ aspect: false, guard: false });
    }
  });

  test('acknowledged: on the function (its role is its child), or on the reported role', () => {
    const onFunction = stackIn();
    const fn = l2(onFunction.stack);
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    Validations.of(fn).acknowledge({ id: RULE, reason: 'an account bootstrap function' });
    expect(verdictOf(onFunction.app, RULE)).toEqual({ aspect: false, guard: false });

    const onRole = stackIn();
    const { role } = l1(onRole.stack, ['arn:aws:iam::aws:policy/AdministratorAccess']);
    Validations.of(role).acknowledge({ id: RULE, reason: 'an account bootstrap function' });
    expect(verdictOf(onRole.app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
