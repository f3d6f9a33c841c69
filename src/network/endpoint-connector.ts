import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { controlPlaneRegions, endpointForAction } from './endpoint-catalog';
import { EndpointRegistry } from './endpoint-registry';
import { PrefixListLookup } from './prefix-list-lookup';
import { invalidInput } from '../cfn/errors';

/** Lambda's limit of security groups per function, less the function's own. */
const MAX_ENDPOINT_CLIENT_GROUPS = 4;

/** What the wiring of one function works with. */
export interface EndpointConnectorProps {
  /** The SecureFunction, named in errors. */
  readonly owner: Construct;
  /** The endpoints of its VPC in its stack. */
  readonly registry: EndpointRegistry;
  /** The function's own security group. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The underlying function, whose connections join the endpoints' client groups. */
  readonly function: lambda.IFunction;
  /** The stack's managed prefix-list lookup, created only when a gateway service is granted. */
  readonly prefixLists: () => PrefixListLookup;
  /** IAM prefixes the user reaches without an endpoint (the named opt-in). */
  readonly servicesWithoutEndpoint: readonly string[];
  /** S3 and DynamoDB through interface endpoints instead of gateways (the stack's choice). */
  readonly interfaceForGatewayServices?: boolean;
}

/**
 * Connects a function to the VPC endpoint of each AWS service a grant lets it
 * call, creating the endpoint the first time any function of the stack needs
 * it: interface endpoints through the service's client security group (a rule
 * of the function's own past Lambda's five groups), S3 and DynamoDB through
 * their gateway endpoints with HTTPS to the service's managed prefix list.
 * Permission-only actions (iam:PassRole, rds-db:connect...) and KMS use
 * through another service (kms:ViaService) need no endpoint. A service with no
 * endpoint CDK knows is an error unless named in `servicesWithoutEndpoint`:
 * in an isolated VPC its calls would time out.
 */
export class EndpointConnector {
  /** The client groups joined so far, after the function's own group in its VPC config. */
  public readonly clientGroups: ec2.ISecurityGroup[] = [];
  private readonly connected = new Set<string>();

  constructor(private readonly props: EndpointConnectorProps) {}

  /** Connects what `statement` lets the function call. */
  public connect(statement: iam.PolicyStatement): void {
    type StatementJson = { Effect?: string; Condition?: Record<string, Record<string, unknown>> };
    const json = Stack.of(this.props.owner).resolve(statement.toStatementJson()) as StatementJson;
    if (json.Effect === 'Deny') {
      return;
    }
    for (const action of statement.actions) {
      const prefix = action.split(':')[0].toLowerCase();
      const need = endpointForAction(action);
      if (!needsPath(json, action) || need.kind === 'none-needed') {
        continue;
      }
      const why = noPrivatePathFrom(Stack.of(this.props.owner), action);
      if (why !== undefined || need.kind === 'unknown' || need.kind === 'no-private-path') {
        this.refuseUnreachable(prefix, action, why!);
        continue;
      }
      const key = need.kind === 'gateway' ? `gateway:${prefix}` : need.service.name;
      if (this.connected.has(key)) {
        continue;
      }
      this.connected.add(key);
      if (need.kind === 'gateway' && this.props.interfaceForGatewayServices) {
        this.connectInterface(prefix === 's3' ? ec2.InterfaceVpcEndpointAwsService.S3 : ec2.InterfaceVpcEndpointAwsService.DYNAMODB);
      } else if (need.kind === 'gateway') {
        this.connectGateway(prefix);
      } else {
        this.connectInterface(need.service);
      }
    }
  }

  private connectGateway(prefix: string): void {
    // The gateway endpoint routes the subnets' traffic to the service; HTTPS to
    // the service's managed prefix list (its id looked up at deploy time) lets it out.
    this.props.registry.gatewayEndpoint(prefix);
    const prefixList = ec2.Peer.prefixList(this.props.prefixLists().prefixListId(prefix));
    this.props.securityGroup.addEgressRule(prefixList, ec2.Port.tcp(443), `HTTPS to ${prefix} through its gateway endpoint`);
  }

  private connectInterface(service: ec2.InterfaceVpcEndpointAwsService): void {
    if (this.clientGroups.length < MAX_ENDPOINT_CLIENT_GROUPS) {
      // Join the service's client group: no rule per function.
      const clients = this.props.registry.clientSecurityGroupFor(service);
      this.clientGroups.push(clients);
      this.props.function.connections.addSecurityGroup(clients);
    } else {
      // Lambda takes five security groups: past that, a rule of the function's own.
      const endpoint = this.props.registry.interfaceEndpointFor(service);
      endpoint.connections.allowFrom(this.props.securityGroup, ec2.Port.tcp(443), `HTTPS from ${this.props.owner.node.path}`);
    }
  }

  private refuseUnreachable(prefix: string, action: string, why: string): void {
    if (this.props.servicesWithoutEndpoint.includes(prefix) || this.connected.has(`none:${prefix}`)) {
      return;
    }
    throw unreachableError(this.props.owner, prefix, action, why);
  }
}

/**
 * Whether `action` of an Allow statement is a call the function makes over the
 * network: not a permission-only action, nor KMS used through another service
 * (kms:ViaService).
 */
export function needsPath(statement: { readonly Condition?: Record<string, Record<string, unknown>> }, action: string): boolean {
  const viaService = Object.values(statement.Condition ?? {}).some((block) => 'kms:ViaService' in block);
  const prefix = action.split(':')[0].toLowerCase();
  return !(prefix === 'kms' && viaService) && endpointForAction(action).kind !== 'none-needed';
}

/**
 * Why a function of `stack` granted `action` could not make that call from its
 * isolated subnets, or undefined when a VPC endpoint (or none at all) serves it:
 * a service with no endpoint CDK knows, an API no endpoint serves, or a global
 * service whose endpoint exists only in another region.
 */
export function noPrivatePathFrom(stack: Stack, action: string): string | undefined {
  const prefix = action.split(':')[0].toLowerCase();
  const need = endpointForAction(action);
  if (need.kind === 'unknown') {
    return `lets the function call '${prefix}', which has no VPC endpoint CDK knows (ec2.InterfaceVpcEndpointAwsService)`;
  }
  if (need.kind === 'no-private-path') {
    return `lets the function call what has no private path from a VPC: ${need.reason}`;
  }
  const onlyIn = controlPlaneRegions(prefix);
  if (onlyIn && (Token.isUnresolved(stack.region) || !Object.values(onlyIn).includes(stack.region))) {
    const where = Token.isUnresolved(stack.region) ? 'unknown region (an environment-agnostic stack)' : `region ${stack.region}`;
    return `lets the function call '${prefix}', whose endpoint exists only in its control-plane region (${Object.values(onlyIn).join(', ')}), not in the stack's ${where}`;
  }
  return undefined;
}

/** The refusal of a grant with no private path, naming the opt-in. */
export function unreachableError(owner: Construct, prefix: string, action: string, why: string): Error {
  return invalidInput(
    `SecureFunction ${owner.node.path}: a grant of '${action}'`,
    `${why}: in its isolated subnets every call would time out`,
    `'${prefix}'`,
    `if the function reaches ${prefix} another way, name it in servicesWithoutEndpoint: ['${prefix}'] and open that path with fn.allowEgressTo(peer, port, why); otherwise drop the grant`,
  );
}
