import { isLiteral } from '../../cfn/references';
import { EXTERNAL } from '../function-view';
import { FUNCTION_CONFIGURATION_CALLS } from '../prevention';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';

export const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
const UNKNOWN = Symbol('unknown');
export const PORT_PROTOCOLS: Record<string, string> = { tcp: 'TCP', 6: 'TCP', udp: 'UDP', 17: 'UDP' };

/** No security group of the function lets it send anything anywhere. */
export const unrestrictedEgress: LambdaRule = {
  id: 'lambda-unrestricted-egress',
  title: 'No security group of the function allows all traffic to 0.0.0.0/0 or ::/0',
  severity: RuleSeverity.BLOCK,
  why: 'Unrestricted egress lets compromised code or a malicious dependency exfiltrate data or reach a command-and-control server on any port.',
  fix: 'Use SecureFunction (egress closed, opened only with fn.allowEgressTo()), or set allowAllOutbound: false on lambda.Function or its ec2.SecurityGroup and add only the egress needed (tcp 443 to a VPC endpoint or prefix list); on a CfnSecurityGroup list narrow SecurityGroupEgress rules.',
  controls: {
    nist80053: ['AC-4', 'SC-7'],
    pciDss: ['1.2', '1.3'],
    hipaa: ['164.312(e)(1)'],
  },
  prevention: [
    { sid: 'FunctionsWithApprovedSecurityGroups', actions: FUNCTION_CONFIGURATION_CALLS, key: 'lambda:SecurityGroupIds', deny: 'not-approved', approved: 'securityGroupIds', multiValued: true },
  ],
  check(view) {
    const groups = view.securityGroups;
    if (groups.length === 0) {
      return 'NOT_APPLICABLE';
    }
    const violations: RuleViolation[] = [];
    let unresolved = false;
    for (const group of groups) {
      if (group === EXTERNAL) {
        unresolved = true;
        continue;
      }
      const inline = group.properties.SecurityGroupEgress;
      const rules = view.egressRules(group);
      if (inline !== undefined && !Array.isArray(inline)) {
        unresolved = true;
      } else if (rules.length === 0) {
        // EC2 gives a group created without egress rules its default allow-all
        // rule. CloudFormation removes it as soon as the group has any egress
        // rule, inline or a standalone AWS::EC2::SecurityGroupEgress (which is how
        // CDK writes a rule to another group), so only a group with none is open.
        violations.push({
          resource: group.resource,
          problem: `egress to 0.0.0.0/0 on all traffic: the group lists no egress rule, so EC2 adds its default one (security group ${group.logicalId})`,
        });
      }
      for (const { rule, source } of rules) {
        const open = opensAnywhere(rule);
        if (open === UNKNOWN) {
          unresolved = true;
        } else if (open !== undefined) {
          const where = source === group ? `security group ${group.logicalId}` : `security group ${group.logicalId}, rule ${source.logicalId}`;
          violations.push({ resource: source.resource, problem: `egress to ${open} (${where})` });
        }
      }
    }
    return violations.length > 0 ? violations : unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};

/**
 * What an egress rule opens to the whole internet ("0.0.0.0/0 on all traffic"),
 * undefined when it is narrower, UNKNOWN when a value it hinges on is a token.
 */
function opensAnywhere(rule: unknown): string | typeof UNKNOWN | undefined {
  if (rule === null || typeof rule !== 'object' || Object.keys(rule).some((key) => key === 'Ref' || key.startsWith('Fn::'))) {
    return UNKNOWN;
  }
  const { CidrIp, CidrIpv6, IpProtocol, FromPort, ToPort } = rule as Record<string, unknown>;
  const destination = CidrIp ?? CidrIpv6;
  if (destination === undefined) {
    return undefined; // a security group or prefix list destination
  }
  if (!isLiteral(destination) || !isLiteral(IpProtocol)) {
    return UNKNOWN;
  }
  if (!ANYWHERE.has(String(destination))) {
    return undefined;
  }
  const protocol = String(IpProtocol).toLowerCase();
  if (protocol === '-1') {
    return `${destination} on all traffic`;
  }
  const name = PORT_PROTOCOLS[protocol];
  if (name === undefined) {
    return undefined; // icmp and other protocols: not all traffic (CDK's "Disallow all traffic" placeholder is icmp)
  }
  if (!isLiteral(FromPort) || !isLiteral(ToPort)) {
    return UNKNOWN;
  }
  const from = FromPort === undefined ? -1 : Number(FromPort);
  const to = ToPort === undefined ? -1 : Number(ToPort);
  return (from === -1 && to === -1) || (from <= 0 && to >= 65535) ? `${destination} on all ${name} ports` : undefined;
}
