import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { SecureFunction } from '../src';
import { minimalProps } from './support/fixtures';

function newStack(): Stack {
  return new Stack(new App(), 'Test');
}

function aliasRef() {
  return { Ref: Match.stringLikeRegexp('^FnAlias') };
}

describe('SecureFunction: the function', () => {
  test('renders tracing, dead-letter queue, key, VPC, concurrency, memory, timeout, JSON logs and loop termination explicitly', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnDeadLetterQueue'), 'Arn'] } },
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] },
      Code: Match.objectLike({ SourceKMSKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] } }),
      VpcConfig: { SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('IsolatedSubnet1') }]), SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^FnSecurityGroup'), 'GroupId'] }] },
      ReservedConcurrentExecutions: 5,
      MemorySize: 256,
      Timeout: 30,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^FnLogGroup') } },
      RecursiveLoop: 'Terminate',
      Architectures: ['arm64'],
    });
  });

  test('is created after its customer-managed policy, which Lambda checks for the dead-letter queue', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    // The policy by DependsOn; the role through the Role property's GetAtt (a DependsOn on it too would be W3005).
    Template.fromStack(stack).hasResource('AWS::Lambda::Function', {
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^FnServiceRolePolicy')]),
      Properties: Match.objectLike({ Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnServiceRole'), 'Arn'] } }),
    });
  });

  test('publishes a version and an alias named live', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Version', 1);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnFunctionCurrentVersion'), 'Version'] } });
  });

  test('keeps the log group, dead-letter queue and key when the stack is deleted', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    for (const type of ['AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::KMS::Key']) {
      const resources = template.findResources(type);
      expect(Object.values(resources).map((r) => r.DeletionPolicy)).not.toContain('Delete');
      expect(Object.keys(resources).length).toBeGreaterThan(0);
    }
  });

  test('honours removalPolicy DESTROY for its own log group and dead-letter queue', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ removalPolicy: RemovalPolicy.DESTROY }));
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 } });
    template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RedrivePolicy: Match.anyValue() }) });
  });

  test('encrypts the dead-letter queue with the key and redrives it to the stack terminal queue', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TerminalDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('uses a key the user brings and creates none', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'UserKey', { enableKeyRotation: true });
    new SecureFunction(stack, 'Fn', minimalProps({ encryptionKey: key }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 2); // the user's, and the baseline's for flow logs
    template.hasResourceProperties('AWS::Lambda::Function', { KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserKey'), 'Arn'] } });
  });

  test('puts secret ARNs and parameter names in the environment, never values', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Db');
    const parameter = new ssm.StringParameter(stack, 'Flags', { stringValue: 'on' });
    new SecureFunction(stack, 'Fn', minimalProps({ environment: { LOG_LEVEL: 'INFO' }, secrets: { DB_SECRET_ARN: secret }, parameters: { FLAGS_PARAMETER: parameter } }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LOG_LEVEL: 'INFO', DB_SECRET_ARN: { Ref: Match.stringLikeRegexp('^Db') }, FLAGS_PARAMETER: { Ref: Match.stringLikeRegexp('^Flags') } } },
    });
  });
});

describe('SecureFunction: invocation', () => {
  test('adds aws:SourceAccount to a service grant that has no source condition', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' }, FunctionName: aliasRef(),
    });
  });

  test('keeps the source ARN of an EventBridge target and invokes the alias', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const rule = new events.Rule(stack, 'Rule', { schedule: events.Schedule.expression('rate(1 hour)') });
    rule.addTarget(new targets.LambdaFunction(fn));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Rule'), 'Arn'] }, FunctionName: aliasRef() });
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: aliasRef() })] });
  });

  test('works as an API Gateway integration, through the alias, with a source ARN', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const api = new apigateway.RestApi(stack, 'Api');
    api.root.addMethod('GET', new apigateway.LambdaIntegration(fn), { authorizationType: apigateway.AuthorizationType.IAM });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com', SourceArn: Match.anyValue(), FunctionName: aliasRef(),
    });
  });

  test('grants another account invocation of the alias by account principal, without sharing a role', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.grantInvoke(new iam.AccountPrincipal('111122223333'));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', { Principal: '111122223333', FunctionName: aliasRef(), Action: 'lambda:InvokeFunction' });
  });

  test('gives IAM principals of the account invoke on the alias only', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    fn.grantInvoke(caller);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: aliasRef() })] },
    });
  });

  test('refuses an invoke permission open to everyone', () => {
    const fn = new SecureFunction(newStack(), 'Fn', minimalProps());
    expect(() => fn.grantInvoke(new iam.AnyPrincipal())).toThrow(/principal must not be everyone \(rule lambda-invoke-public: .*got '\*'/);
  });

  test('adds a function URL with AWS_IAM auth on the alias', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.addFunctionUrl({ cors: { allowedOrigins: ['https://app.example.com'] } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', Qualifier: 'live', Cors: { AllowOrigins: ['https://app.example.com'] } });
  });

  test('refuses a function URL without auth', () => {
    const fn = new SecureFunction(newStack(), 'Fn', minimalProps());
    expect(() => fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE })).toThrow(/addFunctionUrl authType must be AWS_IAM \(rule lambda-url-public: /);
  });

  test('refuses wildcard CORS on a function URL', () => {
    const fn = new SecureFunction(newStack(), 'Fn', minimalProps());
    expect(() => fn.addFunctionUrl({ cors: { allowedOrigins: ['*'] } })).toThrow(/cors.allowedOrigins must list exact origins .*got '\*'/);
  });
});

describe('SecureFunction: grants from other constructs', () => {
  test('land in the execution role customer-managed policy and create the DynamoDB gateway endpoint', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    table.grantReadData(fn);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:GetItem']), Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] }]) })]) },
      Roles: [{ Ref: Match.stringLikeRegexp('^FnServiceRole') }],
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({}) });
  });

  test('fn.addToRolePolicy lands in the customer-managed policy, even with the createNewPoliciesWithAddToRolePolicy flag', () => {
    const app = new App({ context: { '@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy': true } });
    const stack = new Stack(app, 'Test');
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:111122223333:orders'] }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:111122223333:orders' })]) },
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.sqs']] } });
  });

  test('refuses an AWS managed policy on the execution role', () => {
    const fn = new SecureFunction(newStack(), 'Fn', minimalProps());
    expect(() => fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')))
      .toThrow(/must be customer-managed .*AwsSolutions-IAM4.*AdministratorAccess/);
  });

  test('refuses an inline policy on the execution role', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const policy = new iam.Policy(stack, 'Inline', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
    expect(() => policy.attachToRole(fn.role!)).toThrow(/inline policy 'Inline' is not allowed .*IAMNoInlinePolicy/);
  });
});
