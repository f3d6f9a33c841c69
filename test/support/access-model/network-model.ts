// The network paths of each Lambda function of a synthesized CloudFormation
// template, proven from the template alone (no AWS account): which VPC
// endpoints it can reach, and every way out of the VPC it has.
import {
  CfnResource, GroupRules, SgRule, allowsHttps, cidrContains, cidrOverlaps, collectRules, describeRule,
  flattenText, mentionsService, refId, refList, routeTarget, serviceShortName,
} from './network-rules';

/** A service the function has a complete path to, through one VPC endpoint. */
export interface EndpointPath {
  /** The service after the region of the endpoint's ServiceName: 'secretsmanager', 'ecr.api', 's3'. */
  readonly service: string;
  readonly endpointType: 'Interface' | 'Gateway';
  /** The endpoint's logical id. */
  readonly endpoint: string;
}

/** One egress rule of one of the function's security groups. */
export interface EgressRule {
  /** 'all' (IpProtocol -1), 'tcp', 'udp', 'icmp', 'icmpv6' or the protocol number. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidr?: string;
  readonly cidrIpv6?: string;
  readonly destinationSecurityGroup?: string;
  readonly destinationPrefixList?: string;
  /** The rule's own Description, as in the template. */
  readonly description?: string;
  /** The function's security group that holds the rule. */
  readonly securityGroup: string;
  /** The rule described: 'tcp 443 to sg EndpointsSecretsmanagerSecurityGroupXXXX', 'all to 0.0.0.0/0'. */
  readonly summary: string;
}

/** What one function can reach over the network. */
export interface FunctionNetwork {
  readonly functionLogicalId: string;
  readonly inVpc: boolean;
  /** Logical ids, or the literal ids of imported subnets. */
  readonly subnets: string[];
  /** Logical ids, or the literal ids of imported groups. */
  readonly securityGroups: string[];
  /**
   * Services with a complete path: egress from one of the function's groups and
   * the endpoint's ingress (interface), or the route tables of its subnets (gateway).
   */
  readonly reachable: EndpointPath[];
  /** Every egress rule of the function's groups. */
  readonly egress: EgressRule[];
  /**
   * Paths beyond the VPC: routes of its subnets' route tables to a gateway, NAT,
   * peering, instance or interface; egress rules to 0.0.0.0/0 or ::/0; subnets
   * that assign public IPs. Empty for an isolated function.
   */
  readonly internetPaths: string[];
  /** What the model could not see: imported subnets and groups, prefix lists it cannot map, endpoints without private DNS. */
  readonly unknowns: string[];
}

/** Options of networkModel. */
export interface NetworkModelOptions {
  /** Prefix list id (literal, or logical id of the resource producing it) to the service it covers ('s3', 'dynamodb'). */
  readonly prefixLists?: Record<string, string>;
}

const ANYWHERE = '0.0.0.0/0';

/** What the template holds, indexed once for all its functions. */
interface Index {
  readonly resources: Record<string, CfnResource>;
  readonly rules: Map<string, GroupRules>;
  /** Subnet to the route tables associated with it. */
  readonly routeTables: Map<string, string[]>;
  /** Route table to its routes. */
  readonly routes: Map<string, Array<{ id: string; props: Record<string, any> }>>;
  /** VPC to its IPv4 CIDRs (primary and AWS::EC2::VPCCidrBlock). */
  readonly vpcCidrs: Map<string, string[]>;
  readonly endpoints: Array<{ id: string; props: Record<string, any> }>;
  readonly prefixLists: Record<string, string>;
}

/** The network paths of every AWS::Lambda::Function of a template (`Template.fromStack(stack).toJSON()`). */
export function networkModel(template: any, options: NetworkModelOptions = {}): Map<string, FunctionNetwork> {
  const index = buildIndex(template?.Resources ?? {}, options);
  const model = new Map<string, FunctionNetwork>();
  for (const [id, resource] of Object.entries(index.resources)) {
    if (resource.Type === 'AWS::Lambda::Function') {
      model.set(id, functionNetwork(index, id, resource.Properties ?? {}));
    }
  }
  return model;
}

function buildIndex(resources: Record<string, CfnResource>, options: NetworkModelOptions): Index {
  const push = <T>(map: Map<string, T[]>, key: string | undefined, value: T) => {
    if (key !== undefined) {
      map.set(key, [...(map.get(key) ?? []), value]);
    }
  };
  const index: Index = {
    resources,
    rules: collectRules(resources),
    routeTables: new Map(),
    routes: new Map(),
    vpcCidrs: new Map(),
    endpoints: [],
    prefixLists: options.prefixLists ?? {},
  };
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::EC2::SubnetRouteTableAssociation':
        push(index.routeTables, refId(props.SubnetId), refId(props.RouteTableId) ?? '?');
        break;
      case 'AWS::EC2::Route':
        push(index.routes, refId(props.RouteTableId), { id, props });
        break;
      case 'AWS::EC2::VPC':
        if (typeof props.CidrBlock === 'string') push(index.vpcCidrs, id, props.CidrBlock);
        break;
      case 'AWS::EC2::VPCCidrBlock':
        if (typeof props.CidrBlock === 'string') push(index.vpcCidrs, refId(props.VpcId), props.CidrBlock);
        break;
      case 'AWS::EC2::VPCEndpoint':
        index.endpoints.push({ id, props });
        break;
    }
  }
  return index;
}

function typeOf(index: Index, id: string): string | undefined {
  return index.resources[id]?.Type;
}

function propsOf(index: Index, id: string): Record<string, any> {
  return index.resources[id]?.Properties ?? {};
}

function functionNetwork(index: Index, functionLogicalId: string, props: Record<string, any>): FunctionNetwork {
  const vpcConfig = props.VpcConfig ?? {};
  const unknowns: string[] = [];
  const unknown = (text: string) => {
    if (!unknowns.includes(text)) unknowns.push(text);
  };
  const unresolved: unknown[] = [];
  const subnets = refList(vpcConfig.SubnetIds, unresolved);
  const securityGroups = refList(vpcConfig.SecurityGroupIds, unresolved) ?? [];
  if (subnets !== undefined && subnets.length === 0 && unresolved.length === 0) {
    return { functionLogicalId, inVpc: false, subnets: [], securityGroups: [], reachable: [], egress: [], internetPaths: [], unknowns: [] };
  }
  if (subnets === undefined) unknown(`subnet list ${JSON.stringify(vpcConfig.SubnetIds)} is not a list of ids: its subnets are not seen`);
  if (vpcConfig.SecurityGroupIds !== undefined && !Array.isArray(vpcConfig.SecurityGroupIds)) {
    unknown(`security group list ${JSON.stringify(vpcConfig.SecurityGroupIds)} is not a list of ids: its groups are not seen`);
  }
  unresolved.forEach((value) => unknown(`${JSON.stringify(value)} in VpcConfig names no resource of the template`));
  const fn: FunctionSide = describeFunctionSide(index, subnets ?? [], securityGroups, unknown);

  const egress = fn.egress.map(egressRule);

  const reachable: EndpointPath[] = [];
  for (const endpoint of index.endpoints) {
    // CloudFormation's default type is Gateway; GatewayLoadBalancer and other types carry no service calls.
    const type = endpoint.props.VpcEndpointType ?? 'Gateway';
    const path = type === 'Interface' ? interfacePath(index, fn, endpoint.id, endpoint.props, unknown)
      : type === 'Gateway' ? gatewayPath(index, fn, endpoint.id, endpoint.props, unknown) : undefined;
    if (path) reachable.push(path);
  }
  reachable.sort((a, b) => a.service.localeCompare(b.service) || a.endpoint.localeCompare(b.endpoint));
  unmappedPrefixLists(index, fn, unknown);
  return {
    functionLogicalId,
    inVpc: true,
    subnets: subnets ?? [],
    securityGroups,
    reachable,
    egress,
    internetPaths: internetPaths(index, fn),
    unknowns,
  };
}

/** A rule as reported: its fields, without those it does not set. */
function egressRule(rule: SgRule): EgressRule {
  const fields: Record<string, unknown> = {
    protocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    cidr: rule.cidr,
    cidrIpv6: rule.cidrIpv6,
    destinationSecurityGroup: rule.peerGroup,
    destinationPrefixList: rule.prefixList,
    description: rule.description,
    securityGroup: rule.group,
    summary: describeRule(rule, 'egress'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as unknown as EgressRule;
}

/** The function's side of every path: its subnets, VPCs, groups and egress rules. */
interface FunctionSide {
  readonly subnets: string[];
  /** Its subnets that are AWS::EC2::Subnet resources of the template. */
  readonly templateSubnets: string[];
  readonly groups: string[];
  /** The VPCs of its subnets and groups (logical ids or literal ids). */
  readonly vpcs: Set<string>;
  readonly egress: SgRule[];
}

function describeFunctionSide(index: Index, subnets: string[], groups: string[], unknown: (text: string) => void): FunctionSide {
  const vpcs = new Set<string>();
  const templateSubnets = subnets.filter((subnet) => typeOf(index, subnet) === 'AWS::EC2::Subnet');
  for (const subnet of subnets) {
    if (!templateSubnets.includes(subnet)) {
      unknown(`subnet ${subnet} is not in the template: its route table and routes are not seen`);
    } else if (!index.routeTables.has(subnet)) {
      unknown(`subnet ${subnet} has no route table association in the template: the VPC's main route table and its routes are not seen`);
    }
  }
  for (const id of [...templateSubnets, ...groups]) {
    const vpc = typeOf(index, id) === undefined ? undefined : refId(propsOf(index, id).VpcId);
    if (vpc !== undefined) vpcs.add(vpc);
  }
  const egress: SgRule[] = [];
  for (const group of groups) {
    if (typeOf(index, group) !== 'AWS::EC2::SecurityGroup') {
      unknown(`security group ${group} is not in the template: only the rules the template adds to it are seen`);
    }
    egress.push(...(index.rules.get(group)?.egress ?? []));
  }
  return { subnets, templateSubnets, groups, vpcs, egress };
}

/**
 * Whether `cidr` covers the subnets: how many of them it contains. A subnet
 * whose block is not a literal in the template counts when `cidr` contains
 * its VPC's blocks; 0.0.0.0/0 contains them all.
 */
function coveredSubnets(index: Index, cidr: string, subnets: string[], vpc: string | undefined): number {
  const vpcBlocks = vpc === undefined ? [] : index.vpcCidrs.get(vpc) ?? [];
  return subnets.filter((subnet) => {
    const block = propsOf(index, subnet).CidrBlock;
    return cidr === ANYWHERE || (typeof block === 'string' ? cidrContains(cidr, block) : vpcBlocks.some((b) => cidrContains(cidr, b)));
  }).length;
}

/** The endpoint's VPC and service, when it is in one of the function's VPCs. */
function endpointOfFunction(fn: FunctionSide, props: Record<string, any>): { vpc: string; service: string } | undefined {
  const vpc = refId(props.VpcId);
  return vpc === undefined || !fn.vpcs.has(vpc) ? undefined : { vpc, service: serviceShortName(props.ServiceName) ?? '?' };
}

function interfacePath(
  index: Index, fn: FunctionSide, id: string, props: Record<string, any>, unknown: (text: string) => void,
): EndpointPath | undefined {
  const endpoint = endpointOfFunction(fn, props);
  if (!endpoint) {
    return undefined;
  }
  const { vpc, service } = endpoint;
  const endpointSubnets = refList(props.SubnetIds) ?? [];
  let groups = refList(props.SecurityGroupIds) ?? [];
  if (groups.length === 0) groups = [`${vpc}.DefaultSecurityGroup`];
  const egressOk = fn.egress.some((rule) => allowsHttps(rule) && (
    (rule.peerGroup !== undefined && groups.includes(rule.peerGroup))
    || (rule.cidr !== undefined && coveredSubnets(index, rule.cidr, endpointSubnets, vpc) > 0)));
  if (!egressOk) {
    for (const rule of fn.egress) {
      if (allowsHttps(rule) && rule.cidr !== undefined && partlyCovers(index, rule.cidr, endpointSubnets)) {
        unknown(`egress ${describeRule(rule, 'egress')} (security group ${rule.group}) overlaps the subnets of interface endpoint ${id} (${service}) without containing one: whether it reaches the endpoint's addresses is not seen`);
      }
    }
    return undefined;
  }
  let partial = false;
  const ingressOk = groups.some((group) => (index.rules.get(group)?.ingress ?? []).some((rule) => {
    if (!allowsHttps(rule)) return false;
    if (rule.peerGroup !== undefined) return fn.groups.includes(rule.peerGroup);
    if (rule.cidr === undefined || fn.subnets.length === 0) return false;
    const covered = coveredSubnets(index, rule.cidr, fn.subnets, vpc);
    partial = partial || (covered > 0 && covered < fn.subnets.length);
    return covered === fn.subnets.length;
  }));
  if (!ingressOk) {
    if (partial) unknown(`interface endpoint ${id} (${service}) admits HTTPS from some of the function's subnets only`);
    groups.filter((group) => typeOf(index, group) !== 'AWS::EC2::SecurityGroup').forEach((group) =>
      unknown(`security group ${group} of interface endpoint ${id} (${service}) is not in the template: its ingress rules are not seen`));
    return undefined;
  }
  if (endpointSubnets.length === 0) {
    unknown(`interface endpoint ${id} (${service}) has no subnet: it has no network interface to reach`);
    return undefined;
  }
  if (props.PrivateDnsEnabled !== true) {
    unknown(`interface endpoint ${id} (${service}) has PrivateDnsEnabled false: the SDK's default hostname does not resolve to it`);
  }
  return { service, endpointType: 'Interface', endpoint: id };
}

function partlyCovers(index: Index, cidr: string, subnets: string[]): boolean {
  return subnets.some((subnet) => {
    const block = propsOf(index, subnet).CidrBlock;
    return typeof block === 'string' && cidrOverlaps(cidr, block);
  });
}

/**
 * Whether the prefix list covers the service: by the options; by an AWS-managed
 * list looked up by name (a resource with PrefixListName `com.amazonaws.<region>.<service>`,
 * of the endpoint's region); or by a resource that otherwise names the service.
 */
function prefixListServes(index: Index, prefixList: string, service: string, endpointServiceName?: unknown): boolean {
  const mapped = index.prefixLists[prefixList];
  if (mapped !== undefined) {
    return mapped === service;
  }
  const resource = index.resources[prefixList];
  const listName = resource?.Properties?.PrefixListName;
  if (listName !== undefined && resource.Type !== 'AWS::EC2::PrefixList') {
    const region = (text: unknown) => /^(?:cn\.)?com\.amazonaws\.([^.]+)\./.exec(flattenText(text) ?? '')?.[1];
    const [own, endpoint] = [region(listName), region(endpointServiceName)];
    const sameRegion = own === undefined || endpoint === undefined || own === endpoint || own === '{AWS::Region}' || endpoint === '{AWS::Region}';
    return serviceShortName(listName) === service && sameRegion;
  }
  return resource !== undefined && resource.Type !== 'AWS::EC2::PrefixList' && mentionsService(resource.Properties ?? {}, service);
}

function gatewayPath(
  index: Index, fn: FunctionSide, id: string, props: Record<string, any>, unknown: (text: string) => void,
): EndpointPath | undefined {
  const endpoint = endpointOfFunction(fn, props);
  if (!endpoint) {
    return undefined;
  }
  const { service } = endpoint;
  const endpointTables = refList(props.RouteTableIds) ?? [];
  const routed = fn.templateSubnets.length > 0 && fn.templateSubnets.every((subnet) => {
    const tables = index.routeTables.get(subnet) ?? [];
    return tables.length > 0 && tables.every((table) => endpointTables.includes(table));
  });
  const egressOk = fn.egress.some((rule) => allowsHttps(rule) && (
    rule.cidr === ANYWHERE || (rule.prefixList !== undefined && prefixListServes(index, rule.prefixList, service, props.ServiceName))));
  if (routed && egressOk) {
    return { service, endpointType: 'Gateway', endpoint: id };
  }
  if (egressOk && fn.templateSubnets.length === 0) {
    unknown(`gateway endpoint ${id} (${service}): the function's subnets are not in the template, so their route tables are not seen`);
  }
  return undefined;
}

function unmappedPrefixLists(index: Index, fn: FunctionSide, unknown: (text: string) => void): void {
  const services = new Set(['s3', 'dynamodb', ...Object.values(index.prefixLists)]);
  index.endpoints.forEach((endpoint) => services.add(serviceShortName(endpoint.props.ServiceName) ?? '?'));
  for (const rule of fn.egress) {
    if (rule.prefixList !== undefined && ![...services].some((service) => prefixListServes(index, rule.prefixList!, service))) {
      unknown(`egress ${describeRule(rule, 'egress')} (security group ${rule.group}): prefix list ${rule.prefixList} is not mapped to a service`);
    }
  }
}

function internetPaths(index: Index, fn: FunctionSide): string[] {
  const paths: string[] = [];
  const subnetsOfTable = new Map<string, string[]>();
  for (const subnet of fn.templateSubnets) {
    for (const table of index.routeTables.get(subnet) ?? []) {
      subnetsOfTable.set(table, [...(subnetsOfTable.get(table) ?? []), subnet]);
    }
  }
  for (const [table, subnets] of subnetsOfTable) {
    for (const route of index.routes.get(table) ?? []) {
      const target = routeTarget(index.resources, route.props);
      const destination = route.props.DestinationCidrBlock ?? route.props.DestinationIpv6CidrBlock ?? route.props.DestinationPrefixListId;
      if (target !== undefined) {
        paths.push(`route ${refId(destination) ?? flattenText(destination) ?? '?'} to ${target} (route table ${table} of subnet ${subnets.join(', ')})`);
      }
    }
  }
  for (const rule of fn.egress) {
    if (rule.cidr === ANYWHERE || rule.cidrIpv6 === '::/0') {
      paths.push(`egress ${describeRule(rule, 'egress')} (security group ${rule.group})`);
    }
  }
  for (const subnet of fn.templateSubnets) {
    if (propsOf(index, subnet).MapPublicIpOnLaunch === true) {
      paths.push(`subnet ${subnet} assigns public IPs on launch (MapPublicIpOnLaunch)`);
    }
  }
  return paths;
}
