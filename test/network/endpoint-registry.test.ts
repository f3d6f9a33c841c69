import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EndpointRegistry } from '../../src/network/endpoint-registry';

const S = ec2.InterfaceVpcEndpointAwsService;
/** Every interface endpoint service CDK has, once per short name. */
const distinct = [...new Map(Object.getOwnPropertyNames(S)
  .map((key) => (S as unknown as Record<string, unknown>)[key])
  .filter((value): value is ec2.InterfaceVpcEndpointAwsService => value instanceof S)
  .map((service) => [service.shortName, service])).values()];

function registryIn(stack: Stack): EndpointRegistry {
  const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return new EndpointRegistry(stack, 'Endpoints', { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
}

describe('EndpointRegistry', () => {
  test('endpoints created for sqs and secretsmanager keep their construct ids', () => {
    // Arrange
    const stack = new Stack();
    const registry = registryIn(stack);

    // Act
    registry.clientSecurityGroup('sqs');
    registry.clientSecurityGroup('secretsmanager');
    const template = Template.fromStack(stack);

    // Assert
    const endpoints = Object.keys(template.findResources('AWS::EC2::VPCEndpoint')).sort();
    const groups = Object.keys(template.findResources('AWS::EC2::SecurityGroup')).sort();
    expect(endpoints).toEqual([expect.stringMatching(/^EndpointsSecretsmanager[0-9A-F]{8}$/), expect.stringMatching(/^EndpointsSqs[0-9A-F]{8}$/)]);
    expect(groups).toEqual([
      expect.stringMatching(/^EndpointsSecretsmanagerClients[0-9A-F]{8}$/),
      expect.stringMatching(/^EndpointsSecretsmanagerSecurityGroup[0-9A-F]{8}$/),
      expect.stringMatching(/^EndpointsSqsClients[0-9A-F]{8}$/),
      expect.stringMatching(/^EndpointsSqsSecurityGroup[0-9A-F]{8}$/),
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'Interface endpoint for sqs: HTTPS from SecureFunctions only' });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'SecureFunctions that call sqs: HTTPS to its endpoint only' });
  });

  test('an endpoint other than the one of its prefix is named after its short name', () => {
    // Arrange
    const stack = new Stack();
    const registry = registryIn(stack);

    // Act
    registry.interfaceEndpoint('bedrock');
    registry.interfaceEndpointFor(S.BEDROCK);
    registry.interfaceEndpointFor(S.BEDROCK_AGENT_RUNTIME);
    const template = Template.fromStack(stack);

    // Assert
    const endpoints = Object.keys(template.findResources('AWS::EC2::VPCEndpoint')).sort();
    expect(endpoints).toEqual([
      expect.stringMatching(/^EndpointsBedrock[0-9A-F]{8}$/),
      expect.stringMatching(/^EndpointsBedrockAgentRuntime[0-9A-F]{8}$/),
      expect.stringMatching(/^EndpointsBedrockEndpoint[0-9A-F]{8}$/),
    ]);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.bedrock-runtime']] },
      PrivateDnsEnabled: true,
    });
    expect(registry.services).toEqual(['bedrock', 'bedrock (interface)', 'bedrock-agent-runtime']);
  });

  test('one registry can hold every interface endpoint CDK has without an id clash', () => {
    // Arrange
    const stack = new Stack();
    const registry = registryIn(stack);

    // Act
    const create = () => {
      distinct.forEach((service) => registry.interfaceEndpointFor(service));
      registry.gatewayEndpoint('s3');
      registry.gatewayEndpoint('dynamodb');
    };

    // Assert
    expect(create).not.toThrow();
    expect(registry.services.length).toBe(distinct.length + 2);
  });

  test('a prefix without an interface endpoint gets none', () => {
    // Arrange
    const registry = registryIn(new Stack());

    // Act, Assert
    expect(registry.interfaceEndpoint('notaservice')).toBeUndefined();
    expect(registry.clientSecurityGroup('s3')).toBeUndefined();
    expect(registry.gatewayEndpoint('sqs')).toBeUndefined();
    Template.fromStack(Stack.of(registry)).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  test('the client group admits HTTPS to the endpoint only', () => {
    // Arrange
    const stack = new Stack();
    const registry = registryIn(stack);

    // Act
    registry.clientSecurityGroup('kms');

    // Assert
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', Match.objectLike({
      IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS from functions granted kms',
    }));
  });
});
