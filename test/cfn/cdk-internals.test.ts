import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  allowsAllOutbound, closeAllOutbound, createdProperties, currentProperties, functionLogGroup, hasInlineRules, logicalIdOverride, pipelineIsBuilt,
  renderedFragment, renderedProperties, roleInlinePolicies, roleManagedPolicies, setFunctionConnections, setFunctionDeadLetterQueue,
  setFunctionLogGroup, singletonTarget, synthesizedAssembly, willSynthesize,
} from '../../src/cfn/cdk-internals';
import { pipelineApp } from '../support/pipeline-app';

// One test per accessor of aws-cdk-lib's private members: an aws-cdk-lib upgrade
// that renames or reshapes one fails here, by name.

function stack(): Stack {
  return new Stack(new App(), 'Internals');
}

function fnIn(scope: Stack, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
}

describe('aws-cdk-lib internals the library reads or writes', () => {
  test('renderedFragment: a resource\'s template fragment, under its logical id', () => {
    const s = stack();
    const queue = new sqs.CfnQueue(s, 'Queue', { queueName: 'q' });
    // Unresolved, keyed by the logical id's token: the stack index resolves the body alone.
    const bodies = Object.values(renderedFragment(queue).Resources ?? {});
    expect(bodies).toHaveLength(1);
    expect(s.resolve(bodies[0])).toEqual(expect.objectContaining({ Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } }));
  });

  test('currentProperties: a resource\'s properties with what its setters were given since, unrendered', () => {
    const s = stack();
    const queue = new sqs.CfnQueue(s, 'Queue', { queueName: 'q' });
    queue.visibilityTimeout = 180;
    expect(currentProperties(queue)).toEqual(expect.objectContaining({ queueName: 'q', visibilityTimeout: 180 }));
  });

  test('logicalIdOverride: what overrideLogicalId was given', () => {
    const queue = new sqs.CfnQueue(stack(), 'Queue');
    expect(logicalIdOverride(queue)).toBeUndefined();
    queue.overrideLogicalId('Pinned');
    expect(logicalIdOverride(queue)).toBe('Pinned');
  });

  test('willSynthesize: a resource of the stack is written into the template', () => {
    expect(willSynthesize(new sqs.CfnQueue(stack(), 'Queue'))).toBe(true);
  });

  test('renderedProperties and createdProperties: the properties as rendered and as given', () => {
    const s = stack();
    const resource = new CfnResource(s, 'Custom', { type: 'Custom::Thing', properties: { RetentionInDays: 365 } });
    expect(createdProperties(resource)).toEqual({ RetentionInDays: 365 });
    const group = new logs.CfnLogGroup(s, 'Group', { retentionInDays: 30 });
    expect(renderedProperties(group)).toEqual(expect.objectContaining({ RetentionInDays: 30 }));
  });

  test('functionLogGroup and setFunctionLogGroup: the log group behind lambda.Function\'s logGroup getter', () => {
    const s = stack();
    const given = new logs.LogGroup(s, 'Given');
    const fn = fnIn(s, { logGroup: given });
    expect(functionLogGroup(fn)).toBe(given);
    const other = new logs.LogGroup(s, 'Other');
    setFunctionLogGroup(fn, other);
    expect(fn.logGroup).toBe(other);
    setFunctionLogGroup(fn, undefined);
    expect(functionLogGroup(fn)).toBeUndefined();
  });

  test('setFunctionDeadLetterQueue: lambda.Function\'s deadLetterQueue after construction', () => {
    const s = stack();
    const fn = fnIn(s);
    const queue = new sqs.Queue(s, 'Dlq');
    setFunctionDeadLetterQueue(fn, queue);
    expect(fn.deadLetterQueue).toBe(queue);
  });

  test('setFunctionConnections: the connections a function answers with', () => {
    const s = stack();
    const fn = fnIn(s);
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0 });
    const connections = new ec2.Connections({ securityGroups: [new ec2.SecurityGroup(s, 'Group', { vpc })] });
    setFunctionConnections(fn, connections);
    expect(fn.connections).toBe(connections);
  });

  test('singletonTarget: the function a SingletonFunction stands for', () => {
    const s = stack();
    const singleton = new lambda.SingletonFunction(s, 'Singleton', {
      uuid: '6a3b4c1e-0000-4000-8000-000000000001', runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'),
    });
    const target = singletonTarget(singleton);
    expect(target).toBeInstanceOf(lambda.Function);
    expect(target.functionArn).toBe(singleton.functionArn);
  });

  test('roleInlinePolicies: the inline policies given to an iam.Role', () => {
    const role = new iam.Role(stack(), 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { Read: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }) },
    });
    expect(Object.keys(roleInlinePolicies(role))).toEqual(['Read']);
  });

  test('roleManagedPolicies: the list an iam.Role renders its managed policies from, itself', () => {
    const s = stack();
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const managed = iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess');
    role.addManagedPolicy(managed);
    const list = roleManagedPolicies(role);
    expect(list).toEqual([managed]);
    list.splice(0, list.length);
    // Taken out of the list, it is out of the template.
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('allowsAllOutbound: an ec2.SecurityGroup\'s choice of egress', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0 });
    expect(allowsAllOutbound(new ec2.SecurityGroup(s, 'Open', { vpc }))).toBe(true);
    expect(allowsAllOutbound(new ec2.SecurityGroup(s, 'Closed', { vpc, allowAllOutbound: false }))).toBe(false);
  });

  test('closeAllOutbound: a group made open renders as one made closed, and opens to what is added afterwards', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0 });
    const open = new ec2.SecurityGroup(s, 'Open', { vpc, allowAllIpv6Outbound: true });
    const closed = new ec2.SecurityGroup(s, 'Closed', { vpc, allowAllOutbound: false });
    expect(closeAllOutbound(open)).toBe(true);
    expect(allowsAllOutbound(open)).toBe(false);
    const egress = (g: ec2.SecurityGroup) => s.resolve((g.node.defaultChild as ec2.CfnSecurityGroup).securityGroupEgress);
    expect(egress(open)).toEqual(egress(closed));
    open.addEgressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(5432));
    expect(egress(open)).toEqual([expect.objectContaining({ cidrIp: '10.0.0.0/16', fromPort: 5432, toPort: 5432, ipProtocol: 'tcp' })]);
  });

  test('synthesizedAssembly: the assembly a Stage keeps from its first synthesis', () => {
    const app = new App();
    const stage = new Stage(app, 'Dev');
    new Stack(stage, 'Svc');
    expect(synthesizedAssembly(stage)).toBeUndefined();
    const assembly = stage.synth();
    expect(synthesizedAssembly(stage)).toBe(assembly);
  });

  test('pipelineIsBuilt: whether a CDK Pipeline has built its CodePipeline', () => {
    const { pipeline } = pipelineApp(['Dev']);
    expect(pipelineIsBuilt(pipeline)).toBe(false);
    pipeline.buildPipeline();
    expect(pipelineIsBuilt(pipeline)).toBe(true);
  });

  test('hasInlineRules: whether a group writes its rules inline (disableInlineRules), and closeAllOutbound leaves one that does not', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0 });
    expect(hasInlineRules(new ec2.SecurityGroup(s, 'Inline', { vpc }))).toBe(true);
    const separate = new ec2.SecurityGroup(s, 'Separate', { vpc, disableInlineRules: true });
    expect(hasInlineRules(separate)).toBe(false);
    expect(closeAllOutbound(separate)).toBe(false);
    expect(allowsAllOutbound(separate)).toBe(true);
  });
});
