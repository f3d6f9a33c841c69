import { App, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { OrgDefaults, LambdaRulesAspect } from '../../src';
import { ruleErrors } from '../support/aspect-fixtures';
import { newStack } from '../support/fixtures';

function plain(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
}

const BOUNDARY_ARN = 'arn:aws:iam::111111111111:policy/org-boundary';

describe('OrgDefaults', () => {
  test('attaches the permissions boundary to roles that have none, and keeps one that is set', () => {
    const stack = newStack();
    const boundary = iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', BOUNDARY_ARN);
    plain(stack, 'NoBoundary');
    const own = iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Own', 'arn:aws:iam::111111111111:policy/team-boundary');
    plain(stack, 'WithBoundary', { role: new iam.Role(stack, 'TeamRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), permissionsBoundary: own }) });
    OrgDefaults.applyTo(stack.node.root, { permissionsBoundary: boundary });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { PermissionsBoundary: BOUNDARY_ARN, AssumeRolePolicyDocument: Match.anyValue() });
    template.hasResourceProperties('AWS::IAM::Role', { PermissionsBoundary: 'arn:aws:iam::111111111111:policy/team-boundary' });
    expect(Object.values(template.findResources('AWS::IAM::Role')).map((r) => r.Properties.PermissionsBoundary).sort())
      .toEqual([BOUNDARY_ARN, 'arn:aws:iam::111111111111:policy/team-boundary']);
  });

  test('adds tags a function lacks and keeps the value of one it has', () => {
    const stack = newStack();
    const fn = plain(stack, 'Fn');
    (fn.node.defaultChild as lambda.CfnFunction).tags.setTag('cost-center', 'team-7');
    OrgDefaults.applyTo(stack.node.root, { tags: { 'cost-center': 'org', 'data-class': 'internal' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'cost-center', Value: 'team-7' }, { Key: 'data-class', Value: 'internal' }]),
    });
  });

  test('sets retention on a function\'s own log group that has none, and keeps one that is set', () => {
    const stack = newStack();
    plain(stack, 'A', { logGroup: new logs.LogGroup(stack, 'LogsA', { retention: logs.RetentionDays.INFINITE }) });
    plain(stack, 'B', { logGroup: new logs.LogGroup(stack, 'LogsB', { retention: logs.RetentionDays.ONE_WEEK }) });
    OrgDefaults.applyTo(stack.node.root, { logRetention: logs.RetentionDays.ONE_YEAR });
    const groups = Template.fromStack(stack).findResources('AWS::Logs::LogGroup');
    expect(Object.entries(groups).map(([id, g]) => [id.replace(/[0-9A-F]{8}$/, ''), g.Properties.RetentionInDays]).sort()).toEqual([['LogsA', 365], ['LogsB', 7]]);
  });

  test('turns on tracing where a function says nothing, and keeps PassThrough where it says so', () => {
    const stack = newStack();
    plain(stack, 'Silent');
    plain(stack, 'Explicit', { tracing: lambda.Tracing.PASS_THROUGH });
    OrgDefaults.applyTo(stack.node.root, { tracing: true });
    const modes = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f) => f.Properties.TracingConfig?.Mode).sort();
    expect(modes).toEqual(['Active', 'PassThrough']);
  });

  test('a runtime below the floor of its family is an error naming the floor; other families are not judged', () => {
    const stack = newStack();
    plain(stack, 'Old', { runtime: lambda.Runtime.PYTHON_3_11 });
    plain(stack, 'New', { runtime: lambda.Runtime.PYTHON_3_13 });
    plain(stack, 'Node', { runtime: lambda.Runtime.NODEJS_22_X });
    OrgDefaults.applyTo(stack.node.root, { runtimeFloor: [lambda.Runtime.PYTHON_3_12] });
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('org-runtime-floor'));
    expect(errors.map((e) => e.id)).toEqual(['/Test/Old/Resource']);
    expect(String(errors[0].entry.data)).toMatch(/Runtime 'python3.11' is older than the organisation's floor 'python3.12'/);
  });

  test('runs before the guard, so a default it applies satisfies the rule', () => {
    const stack = newStack();
    plain(stack, 'Fn');
    LambdaRulesAspect.applyTo(stack.node.root);
    OrgDefaults.applyTo(stack.node.root, { tracing: true });
    expect(ruleErrors(stack)).not.toContain('lambda-tracing /Test/Fn/Resource');
    expect(ruleErrors(stack)).toContain('lambda-inside-vpc /Test/Fn/Resource');
  });

  test('reaches functions inside Stages', () => {
    const app = new App();
    const stack = new Stack(new Stage(app, 'Prod'), 'Svc');
    plain(stack, 'Fn');
    OrgDefaults.applyTo(app, { tracing: true });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
  });
});
