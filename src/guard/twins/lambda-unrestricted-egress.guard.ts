import { GuardContext, guardString } from '../guard-dsl';

/** How a template names an in-stack resource, as Guard reads it (security groups are named by Fn::GetAtt GroupId or Ref). */
const REFERENCES = [
  { is: 'Ref is_string', id: 'Ref' },
  { is: "'Fn::GetAtt' exists", id: "'Fn::GetAtt'[0]" },
];

/** What the Guard text is built from: the TS rule's own constants. */
export interface EgressGuardData {
  /** The destinations that mean "anywhere". */
  readonly anywhere: readonly string[];
  /** The protocols (lowercase names and numbers) whose full port range is "all traffic" of a kind. */
  readonly portProtocols: readonly string[];
}

/** A Guard list literal of strings and, for the numeric ones, numbers too (IpProtocol: 6 or '6'). */
function literals(values: readonly string[]): string {
  return `[${values.flatMap((v) => (/^-?\d+$/.test(v) ? [guardString(v), v] : [guardString(v)])).join(', ')}]`;
}

/** A regex matching any case of the words (IpProtocol: 'TCP' or 'tcp'). */
function anyCase(values: readonly string[]): string {
  return `/^(?i:${values.map((v) => v.replace(/[^A-Za-z0-9]/g, (c) => `\\${c}`)).join('|')})$/`;
}

/** A port given as a string that Number() reads as <= 0, or as >= 65535. */
const AT_MOST_ZERO = '/^(-[0-9]+|-?0+)$/';
const AT_LEAST_65535 = '/^0*(6553[5-9]|655[4-9][0-9]|65[6-9][0-9]{2}|6[6-9][0-9]{3}|[7-9][0-9]{4}|[1-9][0-9]{5,})$/';

/**
 * lambda-unrestricted-egress in Guard. Every security group a judged function
 * names (and that is not acknowledged) fails when it lists no egress rule at all,
 * inline or as a standalone AWS::EC2::SecurityGroupEgress (EC2 then keeps its
 * default allow-all rule), or when one of its inline rules opens all traffic to
 * anywhere; every standalone egress rule of such a group (not acknowledged) fails
 * when it does. As opensAnywhere: a rule is open when its destination (CidrIp,
 * else CidrIpv6) is anywhere and its protocol is -1, or tcp/udp on all ports
 * (both ports -1 or absent, or FromPort <= 0 and ToPort >= 65535). An intrinsic
 * where a literal is needed (the rules list, a rule, a destination, a protocol, a
 * port), or an imported group, passes (UNRESOLVED). Whether a group has a
 * standalone rule compares whole resources (see memberOf in role-wildcard.guard.ts).
 */
export function unrestrictedEgressGuard({ name, functions, message, unacknowledged }: GuardContext, data: EgressGuardData): string {
  const anywhere = literals(data.anywhere);
  const numbered = data.portProtocols.filter((p) => /^\d+$/.test(p));
  /** A block whose clause fails on the current value, with the rule's message. */
  const fail = (indent: string) => `{\n${indent}    this !exists\n${indent}    ${message}\n${indent}}`;
  // An egress rule that opens all traffic to anywhere: one helper rule per way of doing it.
  const destination = [
    `CidrIp in ${anywhere} or CidrIpv6 in ${anywhere}`,
    `CidrIp !exists or CidrIp in ${anywhere}`,
  ];
  const portProtocol = `IpProtocol == ${anyCase(data.portProtocols)} or IpProtocol in [${numbered.join(', ')}]`;
  const ways: Record<string, string[]> = {
    all_traffic: ['IpProtocol in ["-1", -1]'],
    ports_unset: [portProtocol, 'FromPort !exists or FromPort == -1 or FromPort == "-1"', 'ToPort !exists or ToPort == -1 or ToPort == "-1"'],
    port_range: [portProtocol, `FromPort !exists or FromPort <= 0 or FromPort == ${AT_MOST_ZERO}`, `ToPort >= 65535 or ToPort == ${AT_LEAST_65535}`],
  };
  const helpers = Object.entries(ways).map(([way, conditions]) => `
rule ${name}_open_${way}(egress) {
    %egress {
        ${[...destination, ...conditions].join('\n        ')}
    }
}`).join('\n');
  const openRule = (indent: string) => `${indent}when ${Object.keys(ways).map((way) => `${name}_open_${way}(this)`).join(' or ')} ${fail(indent)}`;
  const groupIds = REFERENCES.map((r, i) =>
    `let ${name}_group_ids_${i} = %${functions}[ Properties.VpcConfig.SecurityGroupIds is_list ].Properties.VpcConfig.SecurityGroupIds[ ${r.is} ].${r.id}`);
  const standaloneGroupIds = REFERENCES.map((r, i) =>
    `let ${name}_standalone_group_ids_${i} = %${name}_all_egress[ Properties.GroupId.${r.is} ].Properties.GroupId.${r.id}`);
  const groupSets = REFERENCES.map((_, i) => `
let ${name}_named_${i} = Resources[ keys in %${name}_group_ids_${i} ]
let ${name}_groups_${i} = %${name}_unacknowledged_groups[ this in %${name}_named_${i} ]
let ${name}_with_standalone_${i} = Resources[ keys in %${name}_standalone_group_ids_${i} ]`).join('');
  const refersToGroup = REFERENCES.flatMap((r) => REFERENCES.map((_, i) => `Properties.GroupId.${r.id} in %${name}_group_ids_${i}`)).join(' or ');
  const perGroup = REFERENCES.map((_, i) => `
    # A group with no egress rule at all, inline or standalone, keeps EC2's default allow-all rule.
    %${name}_groups_${i} {
        let group = this
${REFERENCES.map((__, j) => `        let standalone_${j} = %${name}_with_standalone_${j}[ this == %group ]`).join('\n')}
        when Properties.SecurityGroupEgress !exists or Properties.SecurityGroupEgress empty
             ${REFERENCES.map((__, j) => `%standalone_${j} empty`).join(' ')} ${fail('        ')}
    }
    # An inline rule open to anywhere.
    %${name}_groups_${i}[ Properties.SecurityGroupEgress is_list ].Properties.SecurityGroupEgress[*] {
${openRule('        ')}
    }`).join('');
  return `
let ${name}_unacknowledged_groups = ${unacknowledged('AWS::EC2::SecurityGroup')}
let ${name}_all_egress = Resources.*[ Type == 'AWS::EC2::SecurityGroupEgress' ]
let ${name}_unacknowledged_egress = ${unacknowledged('AWS::EC2::SecurityGroupEgress')}
${groupIds.join('\n')}
${standaloneGroupIds.join('\n')}${groupSets}
# The standalone egress rules of the functions' groups.
let ${name}_egress = %${name}_unacknowledged_egress[ ${refersToGroup} ]
${helpers}

rule ${name} when %${functions} !empty {${perGroup}
    # A standalone rule open to anywhere.
    %${name}_egress.Properties {
${openRule('        ')}
    }
}`;
}
