import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { unrestrictedEgress } from '../../../src/rules/lambda/lambda-unrestricted-egress';
import { plainL2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const VPC_ID = 'vpc-0123456789abcdef0';
const SUBNET_ID = 'subnet-0123456789abcdef0';
const PLACEHOLDER = { cidrIp: '255.255.255.255/32', description: 'Disallow all traffic', ipProtocol: 'icmp', fromPort: 252, toPort: 86 };
const REASON = 'egress is filtered by the network firewall';

/** The L2 `Fn` in an isolated VPC, and its security group as the template has it. */
function l2(stack: Stack, allowAllOutbound?: boolean): { fn: lambda.Function; sg: ec2.CfnSecurityGroup } {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, restrictDefaultSecurityGroup: false, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const fn = plainL2(stack, 'Fn', { vpc, allowAllOutbound });
  return { fn, sg: fn.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup };
}

/** The L1 function `Fn` with one L1 security group holding `egress`. */
function withGroup(stack: Stack, id: string, egress?: ec2.CfnSecurityGroup.EgressProperty[]): { fn: lambda.CfnFunction; sg: ec2.CfnSecurityGroup } {
  const sg = new ec2.CfnSecurityGroup(stack, id, { groupDescription: id, vpcId: VPC_ID, securityGroupEgress: egress });
  const fn = cfnFunction(stack, { vpcConfig: { subnetIds: [SUBNET_ID], securityGroupIds: [sg.attrGroupId] } }, 'Fn');
  return { fn, sg };
}

/** A standalone egress rule `AllTcp` on `sg`: every TCP port to 0.0.0.0/0. */
function allTcp(stack: Stack, sg: ec2.CfnSecurityGroup): ec2.CfnSecurityGroupEgress {
  return new ec2.CfnSecurityGroupEgress(stack, 'AllTcp', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIp: '0.0.0.0/0' });
}

ruleTable(unrestrictedEgress, [
  {
    name: 'compliant: the L2 with allowAllOutbound false (CDK placeholder rule)',
    build: (stack) => ({ fn: l2(stack, false).fn, check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: tcp 443 to 0.0.0.0/0, all traffic to a narrower CIDR, all traffic to another group',
    build: (stack) => ({
      fn: withGroup(stack, 'Https', [
        { cidrIp: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443 },
        { cidrIp: '10.0.0.0/8', ipProtocol: '-1' },
        { destinationSecurityGroupId: 'sg-0123456789abcdef1', ipProtocol: '-1' },
      ]).fn,
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: the L2 with the default allowAllOutbound (true), on the security group',
    build: (stack) => {
      const { fn, sg } = l2(stack);
      return { fn, check: [{ on: sg, problem: `egress to 0.0.0.0/0 on all traffic (security group ${stack.resolve(sg.logicalId)})` }] };
    },
    guardPointsAt: (stack) => {
      const fn = stack.node.findChild('Fn') as lambda.Function;
      return [stack.resolve((fn.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup).logicalId)];
    },
  },
  {
    name: 'non-compliant: ::/0 on all traffic, and 0.0.0.0/0 on every UDP port, in one group',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Open', [
        { cidrIpv6: '::/0', ipProtocol: '-1' },
        { cidrIp: '0.0.0.0/0', ipProtocol: 'udp', fromPort: 0, toPort: 65535 },
      ]);
      return {
        fn,
        check: [
          { on: sg, problem: 'egress to ::/0 on all traffic (security group Open)' },
          { on: sg, problem: 'egress to 0.0.0.0/0 on all UDP ports (security group Open)' },
        ],
      };
    },
  },
  {
    name: 'non-compliant: ::/0 on all traffic',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Open', [{ cidrIpv6: '::/0', ipProtocol: '-1' }]);
      return { fn, check: [{ on: sg, problem: 'egress to ::/0 on all traffic (security group Open)' }] };
    },
  },
  {
    name: 'non-compliant: 0.0.0.0/0 on every UDP port',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Open', [{ cidrIp: '0.0.0.0/0', ipProtocol: 'udp', fromPort: 0, toPort: 65535 }]);
      return { fn, check: [{ on: sg, problem: 'egress to 0.0.0.0/0 on all UDP ports (security group Open)' }] };
    },
  },
  {
    name: 'non-compliant: an AWS::EC2::SecurityGroupEgress resource on all TCP ports, on that resource',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Closed', [PLACEHOLDER]);
      const egress = allTcp(stack, sg);
      return { fn, check: [{ on: egress, problem: 'egress to 0.0.0.0/0 on all TCP ports (security group Closed, rule AllTcp)' }] };
    },
    guardPointsAt: () => ['AllTcp'],
  },
  {
    name: 'non-compliant: a group with no egress rule at all keeps EC2\'s default allow-all rule',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Bare');
      return { fn, check: [{ on: sg, problem: 'egress to 0.0.0.0/0 on all traffic: the group lists no egress rule, so EC2 adds its default one (security group Bare)' }] };
    },
    guardPointsAt: () => ['Bare'],
  },
  {
    name: 'compliant: a group whose only egress is a standalone rule (CloudFormation then removes the default one)',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'OnlyStandalone');
      new ec2.CfnSecurityGroupEgress(stack, 'Https', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'unresolved: an imported group',
    build: (stack) => ({ fn: cfnFunction(stack, { vpcConfig: { subnetIds: [SUBNET_ID], securityGroupIds: ['sg-0123456789abcdef1'] } }, 'Fn'), check: 'UNRESOLVED' }),
  },
  {
    name: 'unresolved: a destination from a parameter',
    build: (stack) => ({ fn: withGroup(stack, 'Param', [{ cidrIp: new CfnParameter(stack, 'Cidr').valueAsString, ipProtocol: '-1' }]).fn, check: 'UNRESOLVED' }),
  },
  {
    name: 'not applicable: no VpcConfig',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'NOT_APPLICABLE' }),
  },
  {
    name: 'acknowledged: on the function',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Bare');
      Validations.of(fn).acknowledge({ id: unrestrictedEgress.id, reason: REASON });
      return { fn, check: [{ on: sg, problem: 'egress to 0.0.0.0/0 on all traffic: the group lists no egress rule, so EC2 adds its default one (security group Bare)' }] };
    },
    reported: false,
  },
  {
    name: 'acknowledged: on the reported group',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Open', [{ cidrIp: '0.0.0.0/0', ipProtocol: '-1' }]);
      Validations.of(sg).acknowledge({ id: unrestrictedEgress.id, reason: REASON });
      return { fn, check: [{ on: sg, problem: 'egress to 0.0.0.0/0 on all traffic (security group Open)' }] };
    },
    reported: false,
  },
  {
    name: 'acknowledged: on the reported standalone rule',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Closed', [PLACEHOLDER]);
      const egress = allTcp(stack, sg);
      Validations.of(egress).acknowledge({ id: unrestrictedEgress.id, reason: REASON });
      return { fn, check: [{ on: egress, problem: 'egress to 0.0.0.0/0 on all TCP ports (security group Closed, rule AllTcp)' }] };
    },
    reported: false,
  },
  {
    name: 'non-compliant: acknowledging the group does not cover a standalone rule on it (a resource of its own)',
    build: (stack) => {
      const { fn, sg } = withGroup(stack, 'Closed', [PLACEHOLDER]);
      Validations.of(sg).acknowledge({ id: unrestrictedEgress.id, reason: 'the group itself is reviewed' });
      const egress = allTcp(stack, sg);
      return { fn, check: [{ on: egress, problem: 'egress to 0.0.0.0/0 on all TCP ports (security group Closed, rule AllTcp)' }] };
    },
    reported: true,
    guardPointsAt: () => ['AllTcp'],
  },
]);
