import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SecureFunction } from '../../src';
import { FunctionNetwork, networkModel } from '../support/access-model/network-model';
import { serviceShortName } from '../support/access-model/network-rules';

function newStack(): Stack {
  return new Stack(new App(), 'Test');
}

/** The logical id of the one resource of this type whose id starts with `prefix`. */
function idOf(template: any, type: string, prefix: string): string {
  const ids = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === type && id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The network of the one function of the template whose id starts with `prefix`. */
function networkOf(template: any, prefix: string, options?: Parameters<typeof networkModel>[1]): FunctionNetwork {
  return networkModel(template, options).get(idOf(template, 'AWS::Lambda::Function', prefix))!;
}

function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

function inlineFunction(stack: Stack, vpc: ec2.IVpc, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ...props,
  });
}

/** An isolated VPC with a Secrets Manager endpoint (own group, closed) and a function with a closed group. */
function isolatedWithSecretsEndpoint() {
  const stack = newStack();
  const vpc = isolatedVpc(stack);
  const endpointSg = new ec2.SecurityGroup(stack, 'EndpointSg', { vpc, allowAllOutbound: false });
  const endpoint = vpc.addInterfaceEndpoint('Secrets', {
    service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    open: false,
    securityGroups: [endpointSg],
  });
  const fnSg = new ec2.SecurityGroup(stack, 'FnSg', { vpc, allowAllOutbound: false });
  const fn = inlineFunction(stack, vpc, { securityGroups: [fnSg] });
  return { stack, vpc, endpoint, endpointSg, fnSg, fn };
}

describe('networkModel on CDK stacks', () => {
  test('a function in PRIVATE_WITH_EGRESS of a default VPC has the NAT routes and the 0.0.0.0/0 egress as internet paths', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    inlineFunction(stack, vpc, { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, allowAllOutbound: true });
    const template = Template.fromStack(stack).toJSON();
    const network = networkOf(template, 'Fn');
    const id = (type: string, prefix: string) => idOf(template, type, prefix);
    const subnet1 = id('AWS::EC2::Subnet', 'VpcPrivateSubnet1');
    const subnet2 = id('AWS::EC2::Subnet', 'VpcPrivateSubnet2');
    const sg = id('AWS::EC2::SecurityGroup', 'FnSecurityGroup');
    expect(network).toEqual({
      functionLogicalId: id('AWS::Lambda::Function', 'Fn'),
      inVpc: true,
      subnets: [subnet1, subnet2],
      securityGroups: [sg],
      reachable: [],
      egress: [{ protocol: 'all', cidr: '0.0.0.0/0', description: 'Allow all outbound traffic by default', securityGroup: sg, summary: 'all to 0.0.0.0/0' }],
      internetPaths: [
        `route 0.0.0.0/0 to NAT gateway ${id('AWS::EC2::NatGateway', 'VpcPublicSubnet1')} (route table ${id('AWS::EC2::RouteTable', 'VpcPrivateSubnet1')} of subnet ${subnet1})`,
        `route 0.0.0.0/0 to NAT gateway ${id('AWS::EC2::NatGateway', 'VpcPublicSubnet2')} (route table ${id('AWS::EC2::RouteTable', 'VpcPrivateSubnet2')} of subnet ${subnet2})`,
        `egress all to 0.0.0.0/0 (security group ${sg})`,
      ],
      unknowns: [],
    });
  });

  test('a function in a public subnet has the internet gateway route and the public IP subnet as internet paths', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
    const fnSg = new ec2.SecurityGroup(stack, 'FnSg', { vpc, allowAllOutbound: false });
    inlineFunction(stack, vpc, { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, allowPublicSubnet: true, securityGroups: [fnSg] });
    const template = Template.fromStack(stack).toJSON();
    const subnet = idOf(template, 'AWS::EC2::Subnet', 'VpcPublicSubnet1');
    const network = networkOf(template, 'Fn');
    expect(network.egress).toEqual([]);
    expect(network.internetPaths).toEqual([
      `route 0.0.0.0/0 to internet gateway ${idOf(template, 'AWS::EC2::InternetGateway', 'VpcIGW')} (route table ${idOf(template, 'AWS::EC2::RouteTable', 'VpcPublicSubnet1')} of subnet ${subnet})`,
      `subnet ${subnet} assigns public IPs on launch (MapPublicIpOnLaunch)`,
    ]);
  });

  test('an interface endpoint that admits the function\'s group is reachable, with no internet path', () => {
    const { stack, endpoint, fnSg } = isolatedWithSecretsEndpoint();
    endpoint.connections.allowFrom(fnSg, ec2.Port.tcp(443));
    const template = Template.fromStack(stack).toJSON();
    const network = networkOf(template, 'Fn');
    const endpointId = idOf(template, 'AWS::EC2::VPCEndpoint', 'VpcSecrets');
    const endpointSgId = idOf(template, 'AWS::EC2::SecurityGroup', 'EndpointSg');
    const fnSgId = idOf(template, 'AWS::EC2::SecurityGroup', 'FnSg');
    expect(network.securityGroups).toEqual([fnSgId]);
    expect(network.reachable).toEqual([{ service: 'secretsmanager', endpointType: 'Interface', endpoint: endpointId }]);
    expect(network.egress).toEqual([{
      protocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      destinationSecurityGroup: endpointSgId,
      description: 'to TestEndpointSg3E322663:443',
      securityGroup: fnSgId,
      summary: `tcp 443 to sg ${endpointSgId}`,
    }]);
    expect(network.internetPaths).toEqual([]);
    expect(network.unknowns).toEqual([]);
  });

  test('an interface endpoint without the ingress rule is not reachable, though the function\'s egress allows it', () => {
    const { stack, endpointSg, fnSg } = isolatedWithSecretsEndpoint();
    fnSg.addEgressRule(endpointSg, ec2.Port.tcp(443));
    const template = Template.fromStack(stack).toJSON();
    const network = networkOf(template, 'Fn');
    expect(network.egress.map((rule) => rule.summary)).toEqual([`tcp 443 to sg ${idOf(template, 'AWS::EC2::SecurityGroup', 'EndpointSg')}`]);
    expect(network.reachable).toEqual([]);
    expect(network.internetPaths).toEqual([]);
  });

  test('an interface endpoint reached through a shared client group of the function', () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    const endpointSg = new ec2.SecurityGroup(stack, 'EndpointSg', { vpc, allowAllOutbound: false });
    const endpoint = vpc.addInterfaceEndpoint('Secrets', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, open: false, securityGroups: [endpointSg] });
    const fnSg = new ec2.SecurityGroup(stack, 'FnSg', { vpc, allowAllOutbound: false });
    const clients = new ec2.SecurityGroup(stack, 'Clients', { vpc, allowAllOutbound: false });
    inlineFunction(stack, vpc, { securityGroups: [fnSg, clients] });
    endpoint.connections.allowFrom(clients, ec2.Port.tcp(443));
    const template = Template.fromStack(stack).toJSON();
    const network = networkOf(template, 'Fn');
    const clientsId = idOf(template, 'AWS::EC2::SecurityGroup', 'Clients');
    expect(network.securityGroups).toEqual([idOf(template, 'AWS::EC2::SecurityGroup', 'FnSg'), clientsId]);
    expect(network.reachable).toEqual([{ service: 'secretsmanager', endpointType: 'Interface', endpoint: idOf(template, 'AWS::EC2::VPCEndpoint', 'VpcSecrets') }]);
    expect(network.egress.map((rule) => [rule.securityGroup, rule.summary]))
      .toEqual([[clientsId, `tcp 443 to sg ${idOf(template, 'AWS::EC2::SecurityGroup', 'EndpointSg')}`]]);
    expect(network.internetPaths).toEqual([]);
    expect(network.unknowns).toEqual([]);
  });

  test('a client group added with fn.connections.addSecurityGroup() alone is not in VpcConfig, so the endpoint is not reachable', () => {
    const { stack, vpc, endpoint, fn } = isolatedWithSecretsEndpoint();
    const clients = new ec2.SecurityGroup(stack, 'Clients', { vpc, allowAllOutbound: false });
    fn.connections.addSecurityGroup(clients);
    endpoint.connections.allowFrom(clients, ec2.Port.tcp(443));
    const template = Template.fromStack(stack).toJSON();
    const network = networkOf(template, 'Fn');
    // lambda.Function renders SecurityGroupIds when constructed: the group joins its Connections, not the function.
    expect(network.securityGroups).toEqual([idOf(template, 'AWS::EC2::SecurityGroup', 'FnSg')]);
    expect(network.egress).toEqual([]);
    expect(network.reachable).toEqual([]);
  });

  test('an open endpoint (ingress from the VPC CIDR) is reachable by egress to the VPC CIDR', () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    vpc.addInterfaceEndpoint('Ssm', { service: ec2.InterfaceVpcEndpointAwsService.SSM, privateDnsEnabled: false });
    const fnSg = new ec2.SecurityGroup(stack, 'FnSg', { vpc, allowAllOutbound: false });
    fnSg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443));
    inlineFunction(stack, vpc, { securityGroups: [fnSg] });
    const template = Template.fromStack(stack).toJSON();
    const network = networkOf(template, 'Fn');
    const endpointId = idOf(template, 'AWS::EC2::VPCEndpoint', 'VpcSsm');
    expect(network.reachable).toEqual([{ service: 'ssm', endpointType: 'Interface', endpoint: endpointId }]);
    expect(network.egress.map((rule) => rule.summary)).toEqual(['tcp 443 to 10.0.0.0/16']);
    expect(network.unknowns).toEqual([`interface endpoint ${endpointId} (ssm) has PrivateDnsEnabled false: the SDK's default hostname does not resolve to it`]);
  });

  describe('a gateway endpoint for S3', () => {
    function gatewayStack() {
      const stack = newStack();
      const vpc = isolatedVpc(stack);
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const fnSg = new ec2.SecurityGroup(stack, 'FnSg', { vpc, allowAllOutbound: false });
      inlineFunction(stack, vpc, { securityGroups: [fnSg] });
      return { stack, fnSg };
    }

    test('with the route tables but no egress rule is not reachable', () => {
      const { stack } = gatewayStack();
      const network = networkOf(Template.fromStack(stack).toJSON(), 'Fn');
      expect(network.egress).toEqual([]);
      expect(network.reachable).toEqual([]);
      expect(network.unknowns).toEqual([]);
    });

    test('with HTTPS egress to its prefix list is reachable when the prefix list is mapped to s3', () => {
      const { stack, fnSg } = gatewayStack();
      fnSg.addEgressRule(ec2.Peer.prefixList('pl-63a5400a'), ec2.Port.tcp(443));
      const template = Template.fromStack(stack).toJSON();
      const endpointId = idOf(template, 'AWS::EC2::VPCEndpoint', 'VpcS3');
      const mapped = networkOf(template, 'Fn', { prefixLists: { 'pl-63a5400a': 's3' } });
      expect(mapped.reachable).toEqual([{ service: 's3', endpointType: 'Gateway', endpoint: endpointId }]);
      expect(mapped.egress.map((rule) => rule.summary)).toEqual(['tcp 443 to prefix list pl-63a5400a']);
      expect(mapped.internetPaths).toEqual([]);
      expect(mapped.unknowns).toEqual([]);
      const unmapped = networkOf(template, 'Fn');
      expect(unmapped.reachable).toEqual([]);
      expect(unmapped.unknowns).toEqual([
        `egress tcp 443 to prefix list pl-63a5400a (security group ${idOf(template, 'AWS::EC2::SecurityGroup', 'FnSg')}): prefix list pl-63a5400a is not mapped to a service`,
      ]);
    });

    test('with HTTPS egress to a prefix list that a custom resource looks up by the service name is reachable', () => {
      const { stack, fnSg } = gatewayStack();
      const lookup = new CfnResource(stack, 'S3PrefixList', {
        type: 'Custom::PrefixListLookup',
        properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:lookup', Name: `com.amazonaws.${stack.region}.s3` },
      });
      fnSg.addEgressRule(ec2.Peer.prefixList(lookup.getAtt('PrefixListId').toString()), ec2.Port.tcp(443));
      const template = Template.fromStack(stack).toJSON();
      const network = networkOf(template, 'Fn');
      expect(network.reachable).toEqual([{ service: 's3', endpointType: 'Gateway', endpoint: idOf(template, 'AWS::EC2::VPCEndpoint', 'VpcS3') }]);
      expect(network.unknowns).toEqual([]);
    });
  });

  test('a SecureFunction reaches Secrets Manager only, with no internet path; the signer function is outside the VPC', () => {
    const stack = newStack();
    // The brief's `secrets: { S: ... }` is refused (a Lambda variable name has two characters at least).
    new SecureFunction(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'support', 'handler')),
      secrets: { SECRET: new secretsmanager.Secret(stack, 'S') },
    });
    const template = Template.fromStack(stack).toJSON();
    const model = networkModel(template);
    const fnId = idOf(template, 'AWS::Lambda::Function', 'Fn');
    const signerId = idOf(template, 'AWS::Lambda::Function', 'SecureFunctionBaselineCodeSigningSigner');
    const endpointSg = idOf(template, 'AWS::EC2::SecurityGroup', 'SecureFunctionBaselineEndpointsSecretsmanagerSecurityGroup');
    const clients = idOf(template, 'AWS::EC2::SecurityGroup', 'SecureFunctionBaselineEndpointsSecretsmanagerClients');
    expect(model.get(fnId)).toEqual({
      functionLogicalId: fnId,
      inVpc: true,
      subnets: [
        idOf(template, 'AWS::EC2::Subnet', 'SecureFunctionBaselineNetworkVpcIsolatedSubnet1'),
        idOf(template, 'AWS::EC2::Subnet', 'SecureFunctionBaselineNetworkVpcIsolatedSubnet2'),
      ],
      securityGroups: [idOf(template, 'AWS::EC2::SecurityGroup', 'FnSecurityGroup'), clients],
      reachable: [{ service: 'secretsmanager', endpointType: 'Interface', endpoint: idOf(template, 'AWS::EC2::VPCEndpoint', 'SecureFunctionBaselineEndpointsSecretsmanager') }],
      egress: [{
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        destinationSecurityGroup: endpointSg,
        description: 'HTTPS from functions granted secretsmanager',
        securityGroup: clients,
        summary: `tcp 443 to sg ${endpointSg}`,
      }],
      internetPaths: [],
      unknowns: [],
    });
    expect(model.get(signerId)).toEqual({
      functionLogicalId: signerId, inVpc: false, subnets: [], securityGroups: [], reachable: [], egress: [], internetPaths: [], unknowns: [],
    });
    // Besides the two, only CDK's default-security-group provider, also outside the VPC.
    expect([...model.values()].filter((network) => network.inVpc).map((network) => network.functionLogicalId)).toEqual([fnId]);
    expect(model.size).toBe(3);
  });
});

describe('networkModel on raw templates', () => {
  test('the service after the region, from a literal, Fn::Join or Fn::Sub', () => {
    expect(serviceShortName('com.amazonaws.us-east-1.secretsmanager')).toBe('secretsmanager');
    expect(serviceShortName({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.ecr.api']] })).toBe('ecr.api');
    expect(serviceShortName({ 'Fn::Sub': 'com.amazonaws.${AWS::Region}.monitoring' })).toBe('monitoring');
    expect(serviceShortName({ 'Fn::Join': ['', ['cn.com.amazonaws.', { Ref: 'AWS::Region' }, '.execute-api']] })).toBe('execute-api');
    expect(serviceShortName({ 'Fn::Join': ['.', [{ 'Fn::FindInMap': ['M', 'K', 'V'] }, 'dynamodb']] })).toBe('dynamodb');
  });

  const importedTemplate = {
    Resources: {
      EndpointSg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'e', VpcId: 'vpc-1', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: 'sg-fn' }] },
      },
      Endpoint: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcId: 'vpc-1',
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.eu-west-1.kms',
          PrivateDnsEnabled: true,
          SubnetIds: ['subnet-a'],
          SecurityGroupIds: [{ 'Fn::GetAtt': ['EndpointSg', 'GroupId'] }],
        },
      },
      Own: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'own', VpcId: 'vpc-1' } },
      FnEgress: {
        Type: 'AWS::EC2::SecurityGroupEgress',
        Properties: { GroupId: 'sg-fn', IpProtocol: '-1', DestinationSecurityGroupId: { 'Fn::GetAtt': ['EndpointSg', 'GroupId'] } },
      },
      Fn: { Type: 'AWS::Lambda::Function', Properties: { VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-fn', { Ref: 'Own' }] } } },
      Outside: { Type: 'AWS::Lambda::Function', Properties: { VpcConfig: { SubnetIds: [] } } },
    },
  };

  test('imported subnets and groups: literal ids match, and what the template cannot show is listed', () => {
    const model = networkModel(importedTemplate);
    expect(model.get('Fn')).toEqual({
      functionLogicalId: 'Fn',
      inVpc: true,
      subnets: ['subnet-a', 'subnet-b'],
      securityGroups: ['sg-fn', 'Own'],
      reachable: [{ service: 'kms', endpointType: 'Interface', endpoint: 'Endpoint' }],
      egress: [
        { protocol: 'all', destinationSecurityGroup: 'EndpointSg', securityGroup: 'sg-fn', summary: 'all to sg EndpointSg' },
        // A group created without any egress rule keeps EC2's default one.
        { protocol: 'all', cidr: '0.0.0.0/0', description: 'EC2 default rule (the template declares no egress rule)', securityGroup: 'Own', summary: 'all to 0.0.0.0/0' },
      ],
      internetPaths: ['egress all to 0.0.0.0/0 (security group Own)'],
      unknowns: [
        'subnet subnet-a is not in the template: its route table and routes are not seen',
        'subnet subnet-b is not in the template: its route table and routes are not seen',
        'security group sg-fn is not in the template: only the rules the template adds to it are seen',
      ],
    });
    expect(model.get('Outside')!.inVpc).toBe(false);
  });

  test('an endpoint in another VPC is not reachable, whatever the rules', () => {
    const other = JSON.parse(JSON.stringify(importedTemplate));
    other.Resources.Endpoint.Properties.VpcId = 'vpc-2';
    expect(networkModel(other).get('Fn')!.reachable).toEqual([]);
  });

  test('routes to a transit gateway, a peering connection and an egress-only gateway are internet paths; the placeholder rule is no rule', () => {
    const template = {
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } },
        Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/24' } },
        Table: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
        Assoc: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'Table' } } },
        Tgw: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: 'tgw-1' } },
        Peer: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '172.16.0.0/12', VpcPeeringConnectionId: 'pcx-1' } },
        V6: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1' } },
        Sg: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: {
            GroupDescription: 'fn',
            VpcId: { Ref: 'Vpc' },
            SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 }],
          },
        },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { VpcConfig: { SubnetIds: [{ Ref: 'Subnet' }], SecurityGroupIds: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } } },
      },
    };
    const network = networkModel(template).get('Fn')!;
    expect(network.egress).toEqual([]);
    expect(network.internetPaths).toEqual([
      'route 10.0.0.0/8 to transit gateway tgw-1 (route table Table of subnet Subnet)',
      'route 172.16.0.0/12 to VPC peering connection pcx-1 (route table Table of subnet Subnet)',
      'route ::/0 to egress-only internet gateway eigw-1 (route table Table of subnet Subnet)',
    ]);
    expect(network.unknowns).toEqual([]);
  });
});
