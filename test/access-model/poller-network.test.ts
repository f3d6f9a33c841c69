import { App, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { accessModel, orderingGaps } from '../support/access-model/access-model';
import { Judged } from '../support/access-model/model-harness';

function isolated() {
  const stack = new Stack(new App(), 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, restrictDefaultSecurityGroup: false, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    allowAllOutbound: false,
  });
  return { stack, vpc, fn };
}

const networkOf = async (stack: Stack) => (await accessModel(stack)).network;

describe('permissions only Lambda\'s event-source poller uses need no endpoint', () => {
  test('a function with only an SQS event source is granted no service its code calls', async () => {
    const { stack, fn } = isolated();
    fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Source')));
    expect(await networkOf(stack)).toEqual([]);
  });

  test('the same function joined to an SQS interface endpoint reaches a service it was not granted', async () => {
    const { stack, vpc, fn } = isolated();
    fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Source')));
    vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS, open: false }).connections.allowDefaultPortFrom(fn);
    expect(await networkOf(stack)).toEqual([expect.stringMatching(/^Fn\w+: reaches sqs, which it was not granted$/)]);
  });

  test('a grant the code uses on another queue still counts: without the endpoint it has no path', async () => {
    const { stack, fn } = isolated();
    fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Source')));
    new sqs.Queue(stack, 'Outbox').grantSendMessages(fn);
    expect(await networkOf(stack)).toEqual([expect.stringMatching(/^Fn\w+: granted sqs, but has no network path to a sqs endpoint$/)]);
  });
});

describe('egress to an AWS-managed prefix list looked up by name (Custom::ManagedPrefixList)', () => {
  function withS3(listService: string, listRegion?: string) {
    const { stack, vpc, fn } = isolated();
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const list = new CfnResource(stack, 'PrefixList', {
      type: 'Custom::ManagedPrefixList',
      properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:lookup', PrefixListName: Fn.join('', ['com.amazonaws.', listRegion ?? stack.region, `.${listService}`]) },
    });
    fn.connections.allowTo(ec2.Peer.prefixList(list.getAtt('PrefixListId').toString()), ec2.Port.tcp(443));
    new s3.Bucket(stack, 'Bucket').grantRead(fn);
    return stack;
  }

  test('the s3 list reaches the s3 gateway endpoint of the function\'s route tables: no network problem', async () => {
    expect(await networkOf(withS3('s3'))).toEqual([]);
  });

  test('the dynamodb list, or the s3 list of another region, does not reach the s3 endpoint', async () => {
    expect(await networkOf(withS3('dynamodb'))).toEqual([expect.stringMatching(/granted s3, but has no network path to a s3 endpoint/)]);
    // A list of a literal region serves only the endpoints of that region.
    const template = Template.fromStack(withS3('s3', 'eu-west-1')).toJSON();
    Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::EC2::VPCEndpoint').forEach((r) => (r.Properties.ServiceName = 'com.amazonaws.us-east-1.s3'));
    expect((await accessModel(template)).network).toEqual([expect.stringMatching(/granted s3, but has no network path to a s3 endpoint/)]);
  });

  test('the resolver gives the list a fake id per name', () => {
    const judged = Judged.of(withS3('s3'));
    expect(judged.getAtt('Custom::ManagedPrefixList', 'PrefixList', 'PrefixListId')).toBe('pl-s3-us-east-1');
    expect(judged.ref('Custom::ManagedPrefixList', 'PrefixList')).toBe('pl-s3-us-east-1');
  });
});

describe('ordering: a function used only as a ServiceToken', () => {
  const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };
  const policy = { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: {}, Roles: [{ Ref: 'HandlerRole' }] } };
  const handler = { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['HandlerRole', 'Arn'] } } };
  const custom = (dependsOn?: string[]) => ({ Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] } }, ...(dependsOn ? { DependsOn: dependsOn } : {}) });

  test('the custom resource must wait for the policy, not the function', () => {
    expect(orderingGaps({ Resources: { HandlerRole: role, HandlerPolicy: policy, Handler: handler, Thing: custom() } }))
      .toEqual(['Thing (Custom::Thing) invokes Handler, which acts with HandlerRole, but does not wait for its policy HandlerPolicy']);
    expect(orderingGaps({ Resources: { HandlerRole: role, HandlerPolicy: policy, Handler: handler, Thing: custom(['HandlerPolicy']) } })).toEqual([]);
  });

  test('a function that is used otherwise (an event source mapping) must still wait itself', () => {
    const mapping = { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'Handler' }, EventSourceArn: 'arn:aws:sqs:us-east-1:111111111111:q' } };
    expect(orderingGaps({ Resources: { HandlerRole: role, HandlerPolicy: policy, Handler: handler, Thing: custom(['HandlerPolicy']), Mapping: mapping } }))
      .toEqual(['Handler (AWS::Lambda::Function) acts with HandlerRole but does not wait for its policy HandlerPolicy']);
  });
});
