import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { plainL2 as l2, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-role-wildcard';
const BUCKET = 'arn:aws:s3:::my-bucket/*';

/** An L1 function (id 'Fn') and its L1 role. */
function l1(stack: Stack): { fn: lambda.CfnFunction; role: iam.CfnRole } {
  const fn = cfnFunction(stack, {}, 'Fn');
  return { fn, role: stack.node.findChild('FnRole') as iam.CfnRole };
}

describe(`${RULE} in Guard`, () => {
  test('compliant: specific actions, Resource \'*\' only for actions without resource-level permissions, a Deny \'*\' (L2)', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'ec2:CreateNetworkInterface'], resources: ['*'] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [BUCKET] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] }));
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('non-compliant: the L2 granting s3:* on every resource: both fail, on its AWS::IAM::Policy', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:*'], resources: ['*'] }));
    const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    const failure = v.guardFailures.Stack.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve(policy.logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-role-wildcard\] The execution role allows no '\*' action, NotAction, or service-wide wildcard on every resource\. Fix: /);
  });

  test('non-compliant: an inline Action \'*\' (on a bucket), an inline NotAction: both fail, on the role', () => {
    const statements = [
      { Effect: 'Allow', Action: '*', Resource: BUCKET },
      { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' },
    ];
    for (const statement of statements) {
      const { app, stack } = stackIn();
      const { role } = l1(stack);
      role.policies = [{ policyName: 'Admin', policyDocument: { Statement: [statement] } }];
      const v = verdicts(app);
      expect(v.aspect.Stack).toContain(RULE);
      expect(v.guardFailures.Stack.find((f) => f.ruleId === RULE)!.logicalIds).toEqual(['FnRole']);
    }
  });

  test('non-compliant: dynamodb:* with a NotResource in a customer managed policy listed in ManagedPolicyArns', () => {
    const { app, stack } = stackIn();
    const { role } = l1(stack);
    const managed = new iam.CfnManagedPolicy(stack, 'Tables', {
      policyDocument: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:*'], NotResource: 'arn:aws:dynamodb:*:*:table/audit' }] },
    });
    role.managedPolicyArns = [managed.ref];
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    expect(v.guardFailures.Stack.find((f) => f.ruleId === RULE)!.logicalIds).toEqual(['Tables']);
  });

  test('non-compliant: \'*:*\' in an L1 AWS::IAM::Policy naming the role', () => {
    const { app, stack } = stackIn();
    const { role } = l1(stack);
    new iam.CfnPolicy(stack, 'Everything', {
      policyName: 'everything', roles: [role.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }] },
    });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('a policy of a role no function uses is not judged', () => {
    const { app, stack } = stackIn();
    l1(stack);
    const other = new iam.CfnRole(stack, 'Other', { assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } });
    new iam.CfnPolicy(stack, 'Everything', {
      policyName: 'everything', roles: [other.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: an imported role, or an action from a parameter, passes both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { role: 'arn:aws:iam::123456789012:role/existing' }, 'Imported');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });

    const other = stackIn();
    const { role } = l1(other.stack);
    role.policies = [{ policyName: 'P', policyDocument: { Statement: [{ Effect: 'Allow', Action: new CfnParameter(other.stack, 'Action').valueAsString, Resource: '*' }] } }];
    expect(verdictOf(other.app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: on the function (its role and policy are its children), or on the reported policy', () => {
    const onFunction = stackIn();
    const fn = l2(onFunction.stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    Validations.of(fn).acknowledge({ id: RULE, reason: 'a break-glass function' });
    expect(verdictOf(onFunction.app, RULE)).toEqual({ aspect: false, guard: false });

    const onPolicy = stackIn();
    const { role } = l1(onPolicy.stack);
    const policy = new iam.CfnPolicy(onPolicy.stack, 'Everything', {
      policyName: 'everything', roles: [role.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    });
    Validations.of(policy).acknowledge({ id: RULE, reason: 'a break-glass function' });
    expect(verdictOf(onPolicy.app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged on the role only: its inline policy passes, an AWS::IAM::Policy naming it still fails both', () => {
    for (const withPolicy of [false, true]) {
      const { app, stack } = stackIn();
      const { role } = l1(stack);
      role.policies = [{ policyName: 'Admin', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
      Validations.of(role).acknowledge({ id: RULE, reason: 'reviewed inline policy' });
      if (withPolicy) {
        new iam.CfnPolicy(stack, 'Everything', {
          policyName: 'everything', roles: [role.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        });
      }
      expect(verdictOf(app, RULE)).toEqual({ aspect: withPolicy, guard: withPolicy });
    }
  });
});
