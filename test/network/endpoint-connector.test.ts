import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureFunction, SecurityBaseline } from '../../src';
import { accessModel } from '../support/access-model/access-model';
import { minimalProps } from '../support/fixtures';

function stackWithFunction(props = minimalProps(), env?: { account: string; region: string }) {
  const stack = new Stack(new App(), 'Test', { env });
  return { stack, fn: new SecureFunction(stack, 'Fn', props) };
}

function endpointNames(template: Template): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((r: any) => JSON.stringify(r.Properties.ServiceName));
}

describe('grants reach their service', () => {
  test.each([
    ['s3', (stack: Stack, fn: SecureFunction) => new s3.Bucket(stack, 'Data').grantRead(fn)],
    ['dynamodb', (stack: Stack, fn: SecureFunction) => new dynamodb.Table(stack, 'Data', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }).grantReadData(fn)],
  ])('%s: a gateway endpoint, and HTTPS to the prefix list looked up at deploy time', (service, grant) => {
    const { stack, fn } = stackWithFunction();
    grant(stack, fn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`.${service}`])] }) });
    template.hasResourceProperties('Custom::ManagedPrefixList', { PrefixListName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] } });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnSecurityGroup'), 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      DestinationPrefixListId: { 'Fn::GetAtt': [Match.stringLikeRegexp('PrefixLists'), 'PrefixListId'] },
    });
  });

  test('in an env-specific stack the prefix list name is literal', () => {
    const { stack, fn } = stackWithFunction(minimalProps(), { account: '111111111111', region: 'eu-west-1' });
    new s3.Bucket(stack, 'Data').grantRead(fn);
    Template.fromStack(stack).hasResourceProperties('Custom::ManagedPrefixList', { PrefixListName: 'com.amazonaws.eu-west-1.s3' });
  });

  test('one lookup per service for every function of the stack', () => {
    const stack = new Stack(new App(), 'Test');
    const bucket = new s3.Bucket(stack, 'Data');
    for (const id of ['A', 'B']) bucket.grantRead(new SecureFunction(stack, id, minimalProps()));
    Template.fromStack(stack).resourceCountIs('Custom::ManagedPrefixList', 1);
  });

  test('an action picks its endpoint: bedrock:InvokeModel goes to bedrock-runtime', () => {
    const { stack, fn } = stackWithFunction();
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0'] }));
    expect(endpointNames(Template.fromStack(stack)).join()).toMatch(/\.bedrock-runtime"/);
  });

  test('permission-only actions open no endpoint (iam:PassRole, rds-db:connect)', () => {
    const { stack, fn } = stackWithFunction();
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: ['arn:aws:iam::111111111111:role/worker'] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:eu-west-1:111111111111:dbuser:db-ABC/app'] }));
    expect(endpointNames(Template.fromStack(stack))).toEqual([]);
  });
});

describe('a grant to a service without an endpoint', () => {
  const unreachable = () => new iam.PolicyStatement({ actions: ['route53:ChangeResourceRecordSets'], resources: ['arn:aws:route53:::hostedzone/Z123'] });

  test('is an error naming the action, the service and the opt-in', () => {
    const { fn } = stackWithFunction();
    expect(() => fn.addToRolePolicy(unreachable()))
      .toThrow(/a grant of 'route53:ChangeResourceRecordSets' lets the function call 'route53', which has no VPC endpoint.*servicesWithoutEndpoint: \['route53'\]/);
  });

  test('is accepted when named in servicesWithoutEndpoint, opening nothing by itself', () => {
    const { stack, fn } = stackWithFunction(minimalProps({ servicesWithoutEndpoint: ['route53'] }));
    fn.addToRolePolicy(unreachable());
    fn.allowEgressTo(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443), 'HTTPS to the team proxy');
    const template = Template.fromStack(stack);
    expect(endpointNames(template)).toEqual([]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('SecureFunction Test/Fn'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '10.0.0.0/16', Description: 'HTTPS to the team proxy' })],
    });
  });

  test('needs nothing with createVpcEndpoints: false (the VPC\'s endpoints are the user\'s)', () => {
    const { fn } = stackWithFunction(minimalProps({ createVpcEndpoints: false }));
    expect(() => fn.addToRolePolicy(unreachable())).not.toThrow();
  });
});

describe('grants with no private path from the stack\'s region', () => {
  const manageConnections = () => new iam.PolicyStatement({
    actions: ['execute-api:ManageConnections'], resources: ['arn:aws:execute-api:eu-west-1:111111111111:abc123/prod/POST/@connections/*'],
  });
  const createServiceLinkedRole = () => new iam.PolicyStatement({
    actions: ['iam:CreateServiceLinkedRole'], resources: ['arn:aws:iam::111111111111:role/aws-service-role/*'],
  });

  test('a WebSocket API\'s @connections: an error naming why, and no execute-api endpoint (its private DNS would capture the API)', () => {
    const { stack, fn } = stackWithFunction();
    expect(() => fn.addToRolePolicy(manageConnections()))
      .toThrow(/a grant of 'execute-api:ManageConnections' lets the function call what has no private path from a VPC: the @connections management API of WebSocket APIs has no VPC endpoint.*servicesWithoutEndpoint: \['execute-api'\]/);
    expect(endpointNames(Template.fromStack(stack))).toEqual([]);
  });

  test('the opt-in takes it, with the egress path the user names, and still opens no execute-api endpoint; the access model agrees', async () => {
    const { stack, fn } = stackWithFunction(minimalProps({ servicesWithoutEndpoint: ['execute-api'] }));
    fn.addToRolePolicy(manageConnections());
    fn.allowEgressTo(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443), 'HTTPS to the team proxy');
    expect(endpointNames(Template.fromStack(stack))).toEqual([]);
    expect((await accessModel(stack)).network).toEqual([]);
  });

  test('the access model fails a call with no private path when no egress path was chosen for it', async () => {
    const { stack, fn } = stackWithFunction(minimalProps({ servicesWithoutEndpoint: ['execute-api'] }));
    fn.addToRolePolicy(manageConnections());
    expect((await accessModel(stack)).network).toEqual([
      expect.stringMatching(/granted execute-api:ManageConnections, which has no private path \(the @connections management API .*\), and no egress path was chosen for it/),
    ]);
  });

  test.each([
    ['an environment-agnostic stack', undefined, /not in the stack's unknown region \(an environment-agnostic stack\)/],
    ['eu-west-1', { account: '111111111111', region: 'eu-west-1' }, /whose endpoint exists only in its control-plane region \(us-east-1, us-gov-west-1, cn-north-1\), not in the stack's region eu-west-1/],
  ])('IAM in %s: an error, since com.amazonaws.iam exists only where IAM\'s control plane runs', (_name, env, message) => {
    const { fn } = stackWithFunction(minimalProps(), env);
    expect(() => fn.addToRolePolicy(createServiceLinkedRole())).toThrow(message);
  });

  test('IAM in us-east-1: its global endpoint service', () => {
    const { stack, fn } = stackWithFunction(minimalProps(), { account: '111111111111', region: 'us-east-1' });
    fn.addToRolePolicy(createServiceLinkedRole());
    expect(endpointNames(Template.fromStack(stack)).join()).toMatch(/com\.amazonaws\.iam"/);
  });
});

describe('S3 and DynamoDB through interface endpoints, by the stack\'s choice', () => {
  test('functions join the interface endpoints\' client groups; no gateway, no prefix-list lookup; private DNS for the VPC\'s own lookups', () => {
    const stack = new Stack(new App(), 'Test');
    new SecurityBaseline(stack, 'Baseline', { interfaceEndpointsForS3AndDynamoDb: true });
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    new s3.Bucket(stack, 'Data').grantRead(fn);
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }).grantReadData(fn);
    const template = Template.fromStack(stack);
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`.${service}`])] }),
        PrivateDnsEnabled: true,
        DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: 'AllResolvers' },
      });
    }
    expect(Object.values(template.findResources('AWS::EC2::VPCEndpoint')).filter((r: any) => r.Properties.VpcEndpointType === 'Gateway')).toEqual([]);
    template.resourceCountIs('Custom::ManagedPrefixList', 0);
    const vpcConfig = (Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnServiceRole'), 'Arn'] } } }))[0] as any).Properties.VpcConfig;
    expect(vpcConfig.SecurityGroupIds).toHaveLength(3);
  });
});
