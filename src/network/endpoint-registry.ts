import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { endpointId, endpointNaming, gatewayServiceFor, interfaceServiceFor } from './endpoint-catalog';

/** The endpoint names of services that have gateway endpoints too. */
const HAS_GATEWAY = new Set(['s3', 'dynamodb']);

/**
 * Properties of an EndpointRegistry.
 */
export interface EndpointRegistryProps {
  /** The VPC whose endpoints this registry creates. */
  readonly vpc: ec2.IVpc;
  /** The subnets interface endpoints are placed in (those the functions use). */
  readonly subnets: ec2.SubnetSelection;
}

/**
 * The VPC endpoints of one VPC in one stack, each created the first time a
 * function needs it and shared by every function after that.
 */
export class EndpointRegistry extends Construct {
  private readonly props: EndpointRegistryProps;
  private readonly interfaces = new Map<string, ec2.InterfaceVpcEndpoint>();
  private readonly clients = new Map<string, ec2.SecurityGroup>();
  private readonly gateways = new Map<string, ec2.GatewayVpcEndpoint>();

  constructor(scope: Construct, id: string, props: EndpointRegistryProps) {
    super(scope, id);
    this.props = props;
  }

  /**
   * The interface endpoint for the service with this IAM prefix (see interfaceServiceFor),
   * created on first use. Its security group admits nobody until a function is allowed in.
   */
  public interfaceEndpoint(prefix: string): ec2.InterfaceVpcEndpoint | undefined {
    const service = interfaceServiceFor(prefix);
    return service ? this.interfaceEndpointFor(service) : undefined;
  }

  /**
   * The interface endpoint for this service, mapped or not, created on first use: construct
   * id from the IAM prefix for the endpoint a prefix's grants get (`Sqs`, `Bedrock` for
   * bedrock-runtime), otherwise from the short name (`EcrDkr`, `BedrockAgentRuntime`).
   */
  public interfaceEndpointFor(service: ec2.InterfaceVpcEndpointAwsService): ec2.InterfaceVpcEndpoint {
    let endpoint = this.interfaces.get(service.shortName);
    if (!endpoint) {
      const { id, label } = endpointNaming(service.shortName);
      const securityGroup = new ec2.SecurityGroup(this, `${id}SecurityGroup`, {
        vpc: this.props.vpc,
        allowAllOutbound: false,
        description: `Interface endpoint for ${label}: HTTPS from SecureFunctions only`,
      });
      endpoint = new ec2.InterfaceVpcEndpoint(this, id, {
        vpc: this.props.vpc,
        service,
        subnets: { ...this.props.subnets, onePerAz: true },
        securityGroups: [securityGroup],
        open: false,
        privateDnsEnabled: true,
        // S3 and DynamoDB also have gateway endpoints: without this, EC2 would answer only
        // on-premises lookups privately and leave the VPC's own to a gateway it may not have.
        privateDnsOnlyForInboundResolverEndpoint: HAS_GATEWAY.has(service.shortName)
          ? ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ALL_RESOLVERS : undefined,
      });
      this.interfaces.set(service.shortName, endpoint);
    }
    return endpoint;
  }

  /**
   * The security group of the functions that call the service with this IAM
   * prefix: HTTPS to its interface endpoint and nothing else, created with the
   * endpoint's ingress rule once per service. A function joins it only when a
   * grant lets it call that service, so a function without the grant has no
   * network path to the endpoint, and an extra function adds no rule.
   */
  public clientSecurityGroup(prefix: string): ec2.SecurityGroup | undefined {
    const service = interfaceServiceFor(prefix);
    return service ? this.clientSecurityGroupFor(service) : undefined;
  }

  /** The client security group (see clientSecurityGroup) of this interface endpoint service. */
  public clientSecurityGroupFor(service: ec2.InterfaceVpcEndpointAwsService): ec2.SecurityGroup {
    const endpoint = this.interfaceEndpointFor(service);
    let clients = this.clients.get(service.shortName);
    if (!clients) {
      const { id, label } = endpointNaming(service.shortName);
      clients = new ec2.SecurityGroup(this, `${id}Clients`, {
        vpc: this.props.vpc,
        allowAllOutbound: false,
        description: `SecureFunctions that call ${label}: HTTPS to its endpoint only`,
      });
      endpoint.connections.allowFrom(clients, ec2.Port.tcp(443), `HTTPS from functions granted ${label}`);
      this.clients.set(service.shortName, clients);
    }
    return clients;
  }

  /** The gateway endpoint for S3 or DynamoDB, created on first use. */
  public gatewayEndpoint(prefix: string): ec2.GatewayVpcEndpoint | undefined {
    const service = gatewayServiceFor(prefix);
    if (!service) {
      return undefined;
    }
    let endpoint = this.gateways.get(prefix);
    if (!endpoint) {
      endpoint = new ec2.GatewayVpcEndpoint(this, endpointId(prefix), {
        vpc: this.props.vpc,
        service,
        subnets: [this.props.subnets],
      });
      this.gateways.set(prefix, endpoint);
    }
    return endpoint;
  }

  /**
   * The services that have an endpoint so far: the IAM prefix for the endpoint a prefix's
   * grants get and for gateways, the endpoint short name for the others.
   */
  public get services(): string[] {
    return [...[...this.interfaces.keys()].map((name) => endpointNaming(name).label), ...this.gateways.keys()].sort();
  }
}
