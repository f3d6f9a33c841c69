import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { capacityProviderSubnets } from '../../../src/rules/lambda/lambda-capacity-provider-subnets';
import { capacityProvider } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

/** A VPC with public and isolated subnets, and a security group, all of the stack. */
function network(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const group = new ec2.SecurityGroup(stack, 'Group', { vpc, allowAllOutbound: false });
  return { vpc, group };
}

const subnetId = (stack: Stack, subnet: ec2.ISubnet) => stack.resolve((subnet.node.defaultChild as ec2.CfnSubnet).logicalId) as string;

ruleTable(capacityProviderSubnets, [
  {
    name: 'compliant: isolated subnets of the stack',
    build: (stack) => {
      const { vpc, group } = network(stack);
      return { fn: capacityProvider(stack, 'Provider', { vpcConfig: { subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId), securityGroupIds: [group.securityGroupId] } }), check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: a public subnet (it maps public IPs and routes to the internet gateway), on the provider',
    build: (stack) => {
      const { vpc, group } = network(stack);
      const provider = capacityProvider(stack, 'Provider', {
        vpcConfig: { subnetIds: [vpc.isolatedSubnets[0].subnetId, vpc.publicSubnets[0].subnetId], securityGroupIds: [group.securityGroupId] },
      });
      return { fn: provider, check: [{ on: provider, problem: `launches instances in public subnet ${subnetId(stack, vpc.publicSubnets[0])} (it maps public IPs on launch)` }] };
    },
    guardPointsAt: () => ['Provider'],
  },
  {
    name: 'non-compliant: a subnet whose route table routes to an internet gateway, not mapping public IPs',
    build: (stack) => {
      const { vpc, group } = network(stack);
      (vpc.publicSubnets[0].node.defaultChild as ec2.CfnSubnet).mapPublicIpOnLaunch = false;
      const provider = capacityProvider(stack, 'Provider', { vpcConfig: { subnetIds: [vpc.publicSubnets[0].subnetId], securityGroupIds: [group.securityGroupId] } });
      return { fn: provider, check: [{ on: provider, problem: `launches instances in public subnet ${subnetId(stack, vpc.publicSubnets[0])} (it routes to an internet gateway)` }] };
    },
  },
  {
    name: 'unresolved: subnets of another stack or from a parameter',
    build: (stack) => ({
      fn: capacityProvider(stack, 'Provider', { vpcConfig: { subnetIds: ['subnet-0123456789abcdef0', new CfnParameter(stack, 'Subnet').valueAsString], securityGroupIds: ['sg-0123456789abcdef0'] } }),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const { vpc, group } = network(stack);
      const provider = capacityProvider(stack, 'Provider', { vpcConfig: { subnetIds: [vpc.publicSubnets[0].subnetId], securityGroupIds: [group.securityGroupId] } });
      Validations.of(provider).acknowledge({ id: capacityProviderSubnets.id, reason: 'a sandbox account with no private subnets yet' });
      return { fn: provider, check: [{ on: provider, problem: /^launches instances in public subnet/ }] };
    },
    reported: false,
  },
]);
