// Reading the network parts of a raw CloudFormation template: references,
// region-dependent strings, CIDRs and security group rules. network-model.ts
// puts them together into the paths of each function.

/** A resource of the template, as synthesized. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

/**
 * The id a value names: the logical id of `{Ref: X}` and `{'Fn::GetAtt': [X, ...]}`,
 * or the literal string of an imported resource. `X.DefaultSecurityGroup` for
 * the VPC's default group, which is not a resource of its own. Undefined for
 * anything else (Fn::ImportValue, Fn::Select, ...).
 */
export function refId(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (!value || typeof value !== 'object') {
    return undefined;
  }
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') {
    return object.Ref;
  }
  const att = object['Fn::GetAtt'];
  const [id, attribute] = Array.isArray(att) ? att : typeof att === 'string' ? att.split('.') : [];
  if (typeof id !== 'string') {
    return undefined;
  }
  return attribute === 'DefaultSecurityGroup' ? `${id}.DefaultSecurityGroup` : id;
}

/** The ids of a list property: undefined when the list itself is an intrinsic; the elements no id names go to `unresolved`. */
export function refList(value: unknown, unresolved: unknown[] = []): string[] | undefined {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    return undefined;
  }
  const ids: string[] = [];
  for (const element of value) {
    const id = refId(element);
    if (id === undefined) {
      unresolved.push(element);
    } else {
      ids.push(id);
    }
  }
  return ids;
}

/**
 * A string value with every part unknown until deployment as `{name}`:
 * `com.amazonaws.{AWS::Region}.s3` for `Fn::Join`/`Fn::Sub` around a region.
 */
export function flattenText(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') {
    return String(value);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const object = value as Record<string, any>;
  if (typeof object.Ref === 'string') {
    return `{${object.Ref}}`;
  }
  if ('Fn::GetAtt' in object) {
    return `{${[object['Fn::GetAtt']].flat().join('.')}}`;
  }
  const join = object['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    return (join[1] as unknown[]).map((part) => flattenText(part) ?? '{?}').join(String(join[0]));
  }
  const sub = object['Fn::Sub'];
  if (sub !== undefined) {
    const [text, variables] = Array.isArray(sub) ? sub : [sub, {}];
    return String(text).replace(/\$\{([^}]*)\}/g, (_all, name: string) => {
      const variable = (variables as Record<string, unknown>)[name];
      return variable === undefined ? `{${name}}` : flattenText(variable) ?? `{${name}}`;
    });
  }
  return '{?}';
}

/**
 * The service of an endpoint's ServiceName, after the region: 'secretsmanager',
 * 'ecr.api', 's3', or 'vpce-svc-...' for a PrivateLink service; a global
 * service's name has no region ('com.amazonaws.iam': 'iam').
 */
export function serviceShortName(serviceName: unknown): string | undefined {
  const text = flattenText(serviceName);
  if (text === undefined) {
    return undefined;
  }
  const global = /^(?:cn\.)?com\.amazonaws\.(iam)$/.exec(text);
  if (global) {
    return global[1];
  }
  const match = /^(?:cn\.)?(?:com\.amazonaws|aws\.[a-z0-9-]+)\.(?:vpce\.)?[^.]+\.(.+)$/.exec(text);
  if (match) {
    return match[1];
  }
  const afterUnknown = text.lastIndexOf('}');
  return afterUnknown >= 0 ? text.slice(afterUnknown + 1).replace(/^\./, '') : text;
}

/** Every string (intrinsics flattened) anywhere in a value. */
function textsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
  } else if (Array.isArray(value)) {
    value.forEach((element) => textsOf(element, out));
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Fn::Join' || keys[0] === 'Fn::Sub')) {
      out.push(flattenText(value)!);
    } else {
      Object.values(value).forEach((element) => textsOf(element, out));
    }
  }
  return out;
}

/** Whether a value mentions `com.amazonaws.<anything>.<service>` or a string ending with `.<service>`. */
export function mentionsService(value: unknown, service: string): boolean {
  const escaped = service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = new RegExp(`com\\.amazonaws\\.[^\\s"',\\]]*?\\.${escaped}(?![A-Za-z0-9.-])`);
  return textsOf(value).some((text) => named.test(text) || text.endsWith(`.${service}`));
}

interface Cidr {
  readonly base: number;
  readonly bits: number;
}

function parseCidr(text: string): Cidr | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const octets = match.slice(1, 5).map(Number);
  return { base: octets.reduce((sum, octet) => sum * 256 + octet, 0), bits: Number(match[5]) };
}

/** Whether the IPv4 block `outer` contains the block `inner` (no bitwise operators: the lint forbids them). */
export function cidrContains(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  if (!a || !b || a.bits > b.bits) {
    return false;
  }
  const size = 2 ** (32 - a.bits);
  return Math.floor(a.base / size) === Math.floor(b.base / size);
}

/** Whether two IPv4 blocks share an address. */
export function cidrOverlaps(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** One rule of a security group, ingress or egress. */
export interface SgRule {
  /** The group that holds the rule. */
  readonly group: string;
  /** 'all', 'tcp', 'udp', 'icmp', 'icmpv6' or the protocol number. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidr?: string;
  readonly cidrIpv6?: string;
  /** The other side's security group (source of an ingress rule, destination of an egress rule). */
  readonly peerGroup?: string;
  /** The other side's prefix list. */
  readonly prefixList?: string;
  readonly description?: string;
}

/** The rules of one security group. */
export interface GroupRules {
  readonly ingress: SgRule[];
  readonly egress: SgRule[];
}

const PROTOCOL_NAMES: Record<string, string> = { '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

/** CDK's rule for allowAllOutbound: false, which matches no traffic. */
function isNoTrafficPlaceholder(rule: Record<string, any>): boolean {
  return rule.CidrIp === '255.255.255.255/32' && String(rule.IpProtocol) === 'icmp' && Number(rule.FromPort) === 252 && Number(rule.ToPort) === 86;
}

/** A CIDR value: a literal, or `Fn::GetAtt [X, 'CidrBlock']` of a VPC or subnet with a literal block. */
function cidrText(value: unknown, resources: Record<string, CfnResource>): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const att = (value as Record<string, unknown>)['Fn::GetAtt'];
  if (Array.isArray(att) && att[1] === 'CidrBlock') {
    const block = resources[String(att[0])]?.Properties?.CidrBlock;
    if (typeof block === 'string') {
      return block;
    }
  }
  return flattenText(value);
}

function parseRule(group: string, rule: Record<string, any>, direction: 'ingress' | 'egress', resources: Record<string, CfnResource>): SgRule {
  const raw = String(rule.IpProtocol).toLowerCase();
  const protocol = PROTOCOL_NAMES[raw] ?? raw;
  const all = protocol === 'all';
  const port = (value: unknown) => (all || value === undefined ? undefined : Number(value));
  const text = (value: unknown) => (value === undefined ? undefined : flattenText(value));
  const peer = direction === 'egress' ? rule.DestinationSecurityGroupId : rule.SourceSecurityGroupId;
  const prefixList = direction === 'egress' ? rule.DestinationPrefixListId : rule.SourcePrefixListId;
  return {
    group,
    protocol,
    fromPort: port(rule.FromPort),
    toPort: port(rule.ToPort),
    cidr: cidrText(rule.CidrIp, resources),
    cidrIpv6: text(rule.CidrIpv6),
    peerGroup: peer === undefined ? undefined : refId(peer) ?? flattenText(peer),
    prefixList: prefixList === undefined ? undefined : refId(prefixList) ?? flattenText(prefixList),
    description: rule.Description === undefined ? undefined : flattenText(rule.Description),
  };
}

/**
 * The rules of every security group the template creates or adds rules to: the
 * inline ones and the AWS::EC2::SecurityGroupIngress/Egress resources. A group
 * the template creates without any egress rule (inline or separate) keeps the
 * rule EC2 adds at creation, all traffic to 0.0.0.0/0; any egress rule,
 * CDK's no-traffic placeholder included, removes it.
 */
export function collectRules(resources: Record<string, CfnResource>): Map<string, GroupRules> {
  const rules = new Map<string, GroupRules>();
  const declaredEgress = new Set<string>();
  const of = (group: string) => {
    let entry = rules.get(group);
    if (!entry) {
      entry = { ingress: [], egress: [] };
      rules.set(group, entry);
    }
    return entry;
  };
  const add = (group: string, rule: Record<string, any>, direction: 'ingress' | 'egress') => {
    if (direction === 'egress') {
      declaredEgress.add(group);
      if (isNoTrafficPlaceholder(rule)) {
        return;
      }
    }
    of(group)[direction].push(parseRule(group, rule, direction, resources));
  };
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::EC2::SecurityGroup') {
      of(id);
      (Array.isArray(props.SecurityGroupIngress) ? props.SecurityGroupIngress : []).forEach((rule: any) => add(id, rule, 'ingress'));
      (Array.isArray(props.SecurityGroupEgress) ? props.SecurityGroupEgress : []).forEach((rule: any) => add(id, rule, 'egress'));
    } else if (resource.Type === 'AWS::EC2::SecurityGroupIngress' || resource.Type === 'AWS::EC2::SecurityGroupEgress') {
      const group = refId(props.GroupId) ?? (props.GroupName === undefined ? undefined : `name:${flattenText(props.GroupName)}`);
      if (group !== undefined) {
        add(group, props, resource.Type === 'AWS::EC2::SecurityGroupIngress' ? 'ingress' : 'egress');
      }
    }
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::EC2::SecurityGroup' && !declaredEgress.has(id)) {
      of(id).egress.push({ group: id, protocol: 'all', cidr: '0.0.0.0/0', description: 'EC2 default rule (the template declares no egress rule)' });
    }
  }
  return rules;
}

/** Whether the rule lets HTTPS (tcp 443) through. */
export function allowsHttps(rule: SgRule): boolean {
  if (rule.protocol === 'all') {
    return true;
  }
  if (rule.protocol !== 'tcp') {
    return false;
  }
  const from = rule.fromPort === undefined || rule.fromPort < 0 ? 0 : rule.fromPort;
  const to = rule.toPort === undefined || rule.toPort < 0 ? 65535 : rule.toPort;
  return from <= 443 && 443 <= to;
}

/** 'tcp 443 to sg X', 'all to 0.0.0.0/0', 'tcp 443 to prefix list pl-123', 'udp 53-54 from 10.0.0.0/16'. */
export function describeRule(rule: SgRule, direction: 'ingress' | 'egress'): string {
  let what = rule.protocol;
  if (rule.protocol !== 'all' && rule.fromPort !== undefined) {
    what += rule.fromPort === rule.toPort || rule.toPort === undefined ? ` ${rule.fromPort}` : ` ${rule.fromPort}-${rule.toPort}`;
  }
  const peer = rule.peerGroup !== undefined ? `sg ${rule.peerGroup}`
    : rule.prefixList !== undefined ? `prefix list ${rule.prefixList}`
      : rule.cidr ?? rule.cidrIpv6 ?? 'nowhere';
  return `${what} ${direction === 'egress' ? 'to' : 'from'} ${peer}`;
}

/** Route targets that leave the VPC, by property. */
const ROUTE_TARGETS: Record<string, string> = {
  NatGatewayId: 'NAT gateway',
  EgressOnlyInternetGatewayId: 'egress-only internet gateway',
  TransitGatewayId: 'transit gateway',
  VpcPeeringConnectionId: 'VPC peering connection',
  InstanceId: 'instance',
  NetworkInterfaceId: 'network interface',
  CarrierGatewayId: 'carrier gateway',
  LocalGatewayId: 'local gateway',
  CoreNetworkArn: 'core network',
  VpcEndpointId: 'Gateway Load Balancer endpoint',
};

/** Where a route leaves the VPC: 'NAT gateway X', 'internet gateway igw-1'; undefined for a local route. */
export function routeTarget(resources: Record<string, CfnResource>, props: Record<string, any>): string | undefined {
  if (props.GatewayId !== undefined) {
    const gateway = refId(props.GatewayId) ?? flattenText(props.GatewayId) ?? '?';
    const type = resources[gateway]?.Type;
    if (gateway === 'local') return undefined;
    const kind = type === 'AWS::EC2::InternetGateway' || gateway.startsWith('igw-') ? 'internet gateway'
      : type === 'AWS::EC2::VPNGateway' || gateway.startsWith('vgw-') ? 'VPN gateway' : 'gateway';
    return `${kind} ${gateway}`;
  }
  for (const [property, kind] of Object.entries(ROUTE_TARGETS)) {
    if (props[property] !== undefined) {
      return `${kind} ${refId(props[property]) ?? flattenText(props[property])}`;
    }
  }
  return undefined;
}
