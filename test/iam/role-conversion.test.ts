import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaHardening } from '../../src';
import { HANDLER_ASSET } from '../support/fixtures';

function plainFunction(stack: Stack, id = 'Fn', props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET), ...props });
}

function roleOf(template: Template, fnLogicalIdPrefix: string): Record<string, any> {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: Match.absent() } });
  const entry = Object.entries(roles).find(([id]) => id.startsWith(`${fnLogicalIdPrefix}ServiceRole`));
  return entry![1].Properties;
}

describe('the role of a hardened function, converted in place', () => {
  test('CDK\'s AWS managed policies are replaced; the stack\'s runtime policy and the role\'s own customer-managed policy take their place', () => {
    const stack = new Stack(new App(), 'Test');
    plainFunction(stack).with(new LambdaHardening());
    const template = Template.fromStack(stack);
    const role = roleOf(template, 'Fn');
    expect(JSON.stringify(role.ManagedPolicyArns)).not.toMatch(/iam::aws:policy/);
    expect(JSON.stringify(role.ManagedPolicyArns)).toMatch(/FunctionRuntimePolicy/);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Execution role policy of LambdaHardening Test/Fn',
      Roles: [{ Ref: Match.stringLikeRegexp('^FnServiceRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'SendToOwnDeadLetterQueue' })]) },
    });
    // Lambda writes the logs with the function's ARN in the request: that grant is bound, in the code policy.
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('^What the code of LambdaHardening Test/Fn is granted'),
      Roles: [{ Ref: Match.stringLikeRegexp('^FnServiceRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Sid: 'WriteOwnLogGroup', Condition: { ArnEquals: { 'lambda:SourceFunctionArn': Match.anyValue() } } })] },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('grants made before and after the mixin are exact and land in the code policy, bound to the function', () => {
    const stack = new Stack(new App(), 'Test');
    const fn = plainFunction(stack);
    const before = new dynamodb.Table(stack, 'Before', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    before.grantReadData(fn);
    fn.with(new LambdaHardening());
    const after = new dynamodb.Table(stack, 'After', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    after.grantWriteData(fn);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [after.tableArn] }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp('^What the code of LambdaHardening Test/Fn is granted') },
    }));
    expect(policies).toMatch(/"lambda:SourceFunctionArn"/);
    expect(policies).toMatch(/"dynamodb:GetItem"/);
    expect(policies).toMatch(/"dynamodb:PutItem"/);
    expect(policies).toMatch(/"dynamodb:DescribeTable"/);
    // CDK's wildcards (dynamodb:BatchGet*...) are expanded to exact actions.
    expect(policies).not.toMatch(/dynamodb:[A-Za-z]*\*/);
  });

  test('an AWS managed policy the user attached is refused, naming the role and the fix', () => {
    const stack = new Stack(new App(), 'Test');
    const fn = plainFunction(stack);
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3ReadOnlyAccess'));
    expect(() => fn.with(new LambdaHardening())).toThrow(/Role Test\/Fn\/ServiceRole: managed policy must be customer-managed.*AmazonS3ReadOnlyAccess.*grant exactly what the function uses/);
  });

  test('an AWS managed policy attached after the mixin is refused too; an inline policy as well', () => {
    const stack = new Stack(new App(), 'Test');
    const fn = plainFunction(stack);
    fn.with(new LambdaHardening());
    expect(() => fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'))).toThrow(/must be customer-managed/);
    expect(() => fn.role!.attachInlinePolicy(new iam.Policy(stack, 'Inline', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] })))
      .toThrow(/inline policy 'Inline' is not allowed/);
  });

  test('a role of the app given to the function keeps its construct and gets the boundary', () => {
    const stack = new Stack(new App(), 'Test');
    const role = new iam.Role(stack, 'Own', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const boundary = new iam.ManagedPolicy(stack, 'Boundary', { statements: [new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] })] });
    plainFunction(stack, 'Fn', { role }).with(new LambdaHardening({ permissionsBoundary: boundary }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }),
      PermissionsBoundary: { Ref: Match.stringLikeRegexp('^Boundary') },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Own'), 'Arn'] } });
  });

  test('inline policies given to the role are refused, naming them', () => {
    const stack = new Stack(new App(), 'Test');
    const role = new iam.Role(stack, 'Own', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { Reads: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }) },
    });
    expect(() => plainFunction(stack, 'Fn', { role }).with(new LambdaHardening())).toThrow(/has inline policies.*Reads.*instead of inlinePolicies/);
  });
});
