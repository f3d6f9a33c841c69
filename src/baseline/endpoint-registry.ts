import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * The VPC endpoint a function needs for calls to one AWS service, by the IAM
 * action prefix of the permissions it holds. Gateway endpoints (free) for S3 and
 * DynamoDB, interface endpoints for the rest.
 */
const INTERFACE_SERVICES: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
  'secretsmanager': ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  'ssm': ec2.InterfaceVpcEndpointAwsService.SSM,
  'kms': ec2.InterfaceVpcEndpointAwsService.KMS,
  'sqs': ec2.InterfaceVpcEndpointAwsService.SQS,
  'sns': ec2.InterfaceVpcEndpointAwsService.SNS,
  'events': ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
  'states': ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
  'lambda': ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  'kinesis': ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS,
  'firehose': ec2.InterfaceVpcEndpointAwsService.KINESIS_FIREHOSE,
  'sts': ec2.InterfaceVpcEndpointAwsService.STS,
  'logs': ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  'cloudwatch': ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  'xray': ec2.InterfaceVpcEndpointAwsService.XRAY,
  'ecr': ec2.InterfaceVpcEndpointAwsService.ECR,
  'execute-api': ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
  'bedrock': ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
  'rds-data': ec2.InterfaceVpcEndpointAwsService.RDS_DATA,
  'appconfig': ec2.InterfaceVpcEndpointAwsService.APPCONFIGDATA,
};

const GATEWAY_SERVICES: Record<string, ec2.GatewayVpcEndpointAwsService> = {
  s3: ec2.GatewayVpcEndpointAwsService.S3,
  dynamodb: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
};

/** The IAM service prefixes for which an endpoint is known. */
export function isKnownEndpointService(prefix: string): boolean {
  return prefix in INTERFACE_SERVICES || prefix in GATEWAY_SERVICES;
}

/**
 * The endpoint service name (`com.amazonaws.<region>.<name>`) of the service
 * with this IAM prefix, or undefined when no endpoint is known.
 */
export function endpointServiceName(prefix: string): string | undefined {
  return INTERFACE_SERVICES[prefix]?.shortName ?? (prefix in GATEWAY_SERVICES ? prefix : undefined);
}

/** Whether calls to this service go through a (free) gateway endpoint. */
export function isGatewayService(prefix: string): boolean {
  return prefix in GATEWAY_SERVICES;
}

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
   * The interface endpoint for the service with this IAM prefix, created on first use.
   * Its security group admits nobody until a function is allowed in.
   */
  public interfaceEndpoint(prefix: string): ec2.InterfaceVpcEndpoint | undefined {
    const service = INTERFACE_SERVICES[prefix];
    if (!service) {
      return undefined;
    }
    let endpoint = this.interfaces.get(prefix);
    if (!endpoint) {
      const id = endpointId(prefix);
      const securityGroup = new ec2.SecurityGroup(this, `${id}SecurityGroup`, {
        vpc: this.props.vpc,
        allowAllOutbound: false,
        description: `Interface endpoint for ${prefix}: HTTPS from SecureFunctions only`,
      });
      endpoint = new ec2.InterfaceVpcEndpoint(this, id, {
        vpc: this.props.vpc,
        service,
        subnets: { ...this.props.subnets, onePerAz: true },
        securityGroups: [securityGroup],
        open: false,
        privateDnsEnabled: true,
      });
      this.interfaces.set(prefix, endpoint);
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
    const endpoint = this.interfaceEndpoint(prefix);
    if (!endpoint) {
      return undefined;
    }
    let clients = this.clients.get(prefix);
    if (!clients) {
      clients = new ec2.SecurityGroup(this, `${endpointId(prefix)}Clients`, {
        vpc: this.props.vpc,
        allowAllOutbound: false,
        description: `SecureFunctions that call ${prefix}: HTTPS to its endpoint only`,
      });
      endpoint.connections.allowFrom(clients, ec2.Port.tcp(443), `HTTPS from functions granted ${prefix}`);
      this.clients.set(prefix, clients);
    }
    return clients;
  }

  /** The gateway endpoint for S3 or DynamoDB, created on first use. */
  public gatewayEndpoint(prefix: string): ec2.GatewayVpcEndpoint | undefined {
    const service = GATEWAY_SERVICES[prefix];
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

  /** The IAM prefixes of the services that have an endpoint so far. */
  public get services(): string[] {
    return [...this.interfaces.keys(), ...this.gateways.keys()].sort();
  }
}

function endpointId(prefix: string): string {
  return prefix.split(/[^a-zA-Z0-9]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
