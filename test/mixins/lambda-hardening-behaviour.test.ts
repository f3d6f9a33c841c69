import { CfnResource, Mixins, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { LambdaHardening, SecureFunction } from '../../src';
import { HANDLER_ASSET, minimalProps, newStack, testOwned } from '../support/fixtures';
import { nodejsFunction } from '../support/hardened';

/** A plain lambda.Function from the fixture asset, as apps write it. */
function plainFunction(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET), ...props });
}

function table(stack: Stack): dynamodb.Table {
  return new dynamodb.Table(testOwned(stack), 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
}

function logicalId(construct: IConstruct): string {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild as CfnResource;
  return Stack.of(resource).resolve(resource.logicalId);
}

/** The template of a fresh stack built by `build`, then given `after` (the same build both times: the ids match). */
function templateOf(build: (stack: Stack) => void, after: (stack: Stack) => void = () => undefined): any {
  const stack = newStack();
  build(stack);
  after(stack);
  return Template.fromStack(stack).toJSON();
}

const applyEverywhere = (stack: Stack) => {
  Mixins.of(stack).apply(new LambdaHardening());
};

/** DependsOn entries that name no resource of the template. */
function danglingDependsOn(template: any): string[] {
  return Object.entries<any>(template.Resources).flatMap(([id, r]) => ([] as string[]).concat(r.DependsOn ?? [])
    .filter((dep) => template.Resources[dep] === undefined)
    .map((dep) => `${id} -> ${dep}`));
}

/** The role of a function's resource, and the policies attached to it by type. */
function rolePolicies(template: any, fnId: string): { roleId: string; policies: string[]; managed: Array<[string, any]> } {
  const roleId: string = template.Resources[fnId].Properties.Role['Fn::GetAtt'][0];
  const attached = (type: string) => Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Type === type && JSON.stringify(r.Properties?.Roles ?? []).includes(JSON.stringify({ Ref: roleId })));
  return { roleId, policies: attached('AWS::IAM::Policy').map(([id]) => id), managed: attached('AWS::IAM::ManagedPolicy') };
}

describe('what LambdaHardening leaves alone', () => {
  test('a SecureFunction in the scope is left untouched by Mixins.of(stack).apply', () => {
    const build = (stack: Stack) => {
      new SecureFunction(stack, 'Secure', minimalProps());
    };
    let report: unknown[] = [];
    const applied = templateOf(build, (stack) => {
      const mixin = new LambdaHardening();
      expect(stack.node.findAll().filter((c) => mixin.supports(c)).map((c) => c.node.path)).toEqual([]);
      report = Mixins.of(stack).apply(mixin).report;
    });
    expect(report).toEqual([]);
    expect(applied).toEqual(templateOf(build));
  });

  test('CDK provider functions (Custom::S3AutoDeleteObjects) are left alone', () => {
    const build = (stack: Stack) => {
      new s3.Bucket(testOwned(stack), 'Scratch', { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
    };
    const applied = templateOf(build, applyEverywhere);
    expect(Object.values<any>(applied.Resources).some((r) => r.Type === 'Custom::S3AutoDeleteObjects')).toBe(true);
    expect(applied).toEqual(templateOf(build));
  });

  test('the provider function of an AwsCustomResource (a SingletonFunction CDK ships) is left alone', () => {
    const build = (stack: Stack) => {
      new cr.AwsCustomResource(testOwned(stack), 'Lookup', {
        onCreate: { service: 'SSM', action: 'getParameter', parameters: { Name: 'app-version' }, physicalResourceId: cr.PhysicalResourceId.of('app-version') },
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
        installLatestAwsSdk: false,
      });
    };
    const applied = templateOf(build, applyEverywhere);
    expect(applied).toEqual(templateOf(build));
  });

  test('the framework functions of a custom-resources Provider are left alone; its onEvent handler is hardened', () => {
    const stack = newStack();
    const onEvent = plainFunction(stack, 'OnEvent');
    const provider = new cr.Provider(testOwned(stack), 'Provider', { onEventHandler: onEvent });
    Mixins.of(stack).apply(new LambdaHardening());
    expect(LambdaHardening.of(onEvent)).toBeDefined();
    const framework = provider.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function);
    expect(framework.map((f) => f.node.id)).toEqual(['framework-onEvent']);
    expect(framework.map((f) => LambdaHardening.of(f))).toEqual([undefined]);
  });

  test('applying the mixin twice (fn.with twice, then to the whole stack) hardens once', () => {
    const build = (stack: Stack) => {
      plainFunction(stack, 'Fn');
    };
    const once = templateOf(build, (stack) => {
      stack.node.findChild('Fn').node.with(new LambdaHardening());
    });
    const thrice = templateOf(build, (stack) => {
      const fn = stack.node.findChild('Fn') as lambda.Function;
      fn.with(new LambdaHardening());
      const first = LambdaHardening.of(fn);
      fn.with(new LambdaHardening());
      Mixins.of(stack).apply(new LambdaHardening());
      expect(LambdaHardening.of(fn)).toBe(first);
    });
    expect(thrice).toEqual(once);
  });
});

describe('what LambdaHardening carries over from the function', () => {
  test('a function\'s own RecursiveLoop: Allow is kept, with a warning; left unset, Lambda\'s loop detection is written as Terminate', () => {
    const stack = newStack();
    plainFunction(stack, 'Looping', { recursiveLoop: lambda.RecursiveLoop.ALLOW }).with(new LambdaHardening());
    plainFunction(stack, 'Plain').with(new LambdaHardening());
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', RecursiveLoop: 'Allow', TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', RecursiveLoop: 'Terminate', TracingConfig: { Mode: 'Active' } });
    Annotations.fromStack(stack).hasWarning('/Test/Looping/Resource', Match.stringLikeRegexp('RecursiveLoop: Allow is kept as the function chose it'));
    expect(Annotations.fromStack(stack).findWarning('/Test/Plain/Resource', Match.stringLikeRegexp('RecursiveLoop'))).toEqual([]);
  });

  test('logRetention on a NodejsFunction becomes the retention of its encrypted log group, without CDK\'s LogRetention function', () => {
    const stack = newStack();
    const fn = nodejsFunction(stack, 'Retained', { logRetention: logs.RetentionDays.TWO_YEARS });
    fn.with(new LambdaHardening());
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::LogRetention', 0);
    const json = template.toJSON();
    expect(Object.keys(json.Resources).filter((id) => id.startsWith('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a'))).toEqual([]);
    const logGroup = LambdaHardening.of(fn)!.logGroup;
    expect(json.Resources[logicalId(logGroup)]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 731, KmsKeyId: expect.anything() } });
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: Match.objectLike({ LogGroup: { Ref: logicalId(logGroup) } }) });
  });

  test('a statement granted before the mixin ends up in the role\'s customer-managed policy; no AWS::IAM::Policy remains', () => {
    const stack = newStack();
    const fn = plainFunction(stack, 'Fn');
    const orders = table(stack);
    orders.grantReadData(fn);
    fn.with(new LambdaHardening());
    const template = Template.fromStack(stack).toJSON();
    const { policies, managed } = rolePolicies(template, logicalId(fn));
    expect(policies).toEqual([]);
    expect(Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy')).toEqual([]);
    const statements = managed.flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({
      Effect: 'Allow',
      Action: expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']),
      Resource: expect.arrayContaining([{ 'Fn::GetAtt': [logicalId(orders), 'Arn'] }]),
    })]));
  });

  test('what depended on the old DefaultPolicy (addDependency, Grant.applyBefore) depends on the customer-managed policy', () => {
    const stack = newStack();
    const fn = plainFunction(stack, 'Fn');
    const grant = table(stack).grantReadData(fn);
    const byDependency = new sqs.CfnQueue(testOwned(stack), 'WaitsByDependency');
    byDependency.node.addDependency(fn.role!.node.findChild('DefaultPolicy'));
    const byGrant = new sqs.CfnQueue(testOwned(stack), 'WaitsByGrant');
    grant.applyBefore(byGrant);
    fn.with(new LambdaHardening());
    const template = Template.fromStack(stack).toJSON();
    const policyId = logicalId(fn.role!.node.findChild('Policy'));
    expect(template.Resources[policyId].Type).toBe('AWS::IAM::ManagedPolicy');
    expect(template.Resources[logicalId(byDependency)].DependsOn).toContain(policyId);
    expect(template.Resources[logicalId(byGrant)].DependsOn).toContain(policyId);
    expect(danglingDependsOn(template)).toEqual([]);
  });

  test('a service permission added after the mixin gets the stack\'s account as SourceAccount; one added before as well', () => {
    const stack = newStack();
    const fn = plainFunction(stack, 'Fn');
    fn.addPermission('Before', { principal: new iam.ServicePrincipal('s3.amazonaws.com') });
    fn.with(new LambdaHardening());
    fn.addPermission('X', { principal: new iam.ServicePrincipal('events.amazonaws.com') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 's3.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
  });
});
