import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { publicSubnet } from '../../../src/rules/lambda/lambda-public-subnet';
import { plainL2 } from '../../support/guard-harness';
import { cfnFunction, vpcOf } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const SG = 'sg-0123456789abcdef0';
const IMPORTED = 'subnet-0123456789abcdef0';

/** A subnet of `vpc` as the template names it. */
function subnetId(vpc: ec2.Vpc, type: 'public' | 'isolated', n: number): string {
  const subnets = type === 'public' ? vpc.publicSubnets : vpc.isolatedSubnets;
  return Stack.of(vpc).resolve((subnets[n].node.defaultChild as ec2.CfnSubnet).logicalId);
}

/** An L1 subnet that is public only by its route table's route to an internet gateway. */
function routedSubnet(stack: Stack): ec2.CfnSubnet {
  const vpc = new ec2.CfnVPC(stack, 'RawVpc', { cidrBlock: '10.0.0.0/16' });
  const subnet = new ec2.CfnSubnet(stack, 'RawSubnet', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
  const igw = new ec2.CfnInternetGateway(stack, 'Igw');
  const table = new ec2.CfnRouteTable(stack, 'Table', { vpcId: vpc.ref });
  new ec2.CfnSubnetRouteTableAssociation(stack, 'Assoc', { subnetId: subnet.ref, routeTableId: table.ref });
  new ec2.CfnRoute(stack, 'ToInternet', { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.ref });
  return subnet;
}

/** The L2 `Fn` in the PUBLIC subnets of a VPC with public and isolated subnets. */
function inPublicSubnets(stack: Stack): { fn: lambda.Function; vpc: ec2.Vpc } {
  const vpc = vpcOf(stack);
  return { fn: plainL2(stack, 'Fn', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, allowPublicSubnet: true }), vpc };
}

ruleTable(publicSubnet, [
  {
    name: 'compliant: the L2 in the isolated subnets',
    build: (stack) => ({ fn: plainL2(stack, 'Fn', { vpc: vpcOf(stack), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: the L2 in PUBLIC subnets (allowPublicSubnet, they map public IPs), one violation per subnet, on the function',
    build: (stack) => {
      const { fn, vpc } = inPublicSubnets(stack);
      return {
        fn,
        check: [
          { on: fn, problem: `runs in public subnet ${subnetId(vpc, 'public', 0)} (it maps public IPs on launch)` },
          { on: fn, problem: `runs in public subnet ${subnetId(vpc, 'public', 1)} (it maps public IPs on launch)` },
        ],
      };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('Fn').node.defaultChild as lambda.CfnFunction).logicalId)],
  },
  {
    name: 'non-compliant: an L1 subnet public only by its route to an internet gateway (Ref)',
    build: (stack) => ({
      fn: cfnFunction(stack, { vpcConfig: { subnetIds: [routedSubnet(stack).ref], securityGroupIds: [SG] } }, 'Fn'),
      check: [{ on: 'Fn', problem: 'runs in public subnet RawSubnet (it routes to an internet gateway)' }],
    }),
  },
  {
    name: 'non-compliant: an L1 subnet public only by its route to an internet gateway (Fn::GetAtt)',
    build: (stack) => ({
      fn: cfnFunction(stack, { vpcConfig: { subnetIds: [routedSubnet(stack).attrSubnetId], securityGroupIds: [SG] } }, 'Fn'),
      check: [{ on: 'Fn', problem: 'runs in public subnet RawSubnet (it routes to an internet gateway)' }],
    }),
  },
  {
    name: 'compliant: a route to a gateway that is not an internet gateway does not make the subnet public',
    build: (stack) => {
      const vpc = new ec2.CfnVPC(stack, 'RawVpc', { cidrBlock: '10.0.0.0/16' });
      const subnet = new ec2.CfnSubnet(stack, 'RawSubnet', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
      const vgw = new ec2.CfnVPNGateway(stack, 'Vgw', { type: 'ipsec.1' });
      const table = new ec2.CfnRouteTable(stack, 'Table', { vpcId: vpc.ref });
      new ec2.CfnSubnetRouteTableAssociation(stack, 'Assoc', { subnetId: subnet.ref, routeTableId: table.ref });
      new ec2.CfnRoute(stack, 'ToVpn', { routeTableId: table.ref, destinationCidrBlock: '10.1.0.0/16', gatewayId: vgw.ref });
      return { fn: cfnFunction(stack, { vpcConfig: { subnetIds: [subnet.ref], securityGroupIds: [SG] } }, 'Fn'), check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: an in-stack public subnet beside an imported one, the in-stack one reported',
    build: (stack) => {
      const vpc = vpcOf(stack);
      return {
        fn: cfnFunction(stack, { vpcConfig: { subnetIds: [vpc.publicSubnets[0].subnetId, IMPORTED], securityGroupIds: [SG] } }, 'Fn'),
        check: [{ on: 'Fn', problem: `runs in public subnet ${subnetId(vpc, 'public', 0)} (it maps public IPs on launch)` }],
      };
    },
  },
  {
    name: 'unresolved: an in-stack private subnet beside an imported one (the imported one may be public)',
    build: (stack) => ({
      fn: cfnFunction(stack, { vpcConfig: { subnetIds: [vpcOf(stack).isolatedSubnets[0].subnetId, IMPORTED], securityGroupIds: [SG] } }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'unresolved: imported subnets',
    build: (stack) => ({
      fn: cfnFunction(stack, { vpcConfig: { subnetIds: [IMPORTED, 'subnet-0123456789abcdef1'], securityGroupIds: [SG] } }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'unresolved: a subnet list parameter',
    build: (stack) => {
      const param = new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
      return { fn: cfnFunction(stack, { vpcConfig: { subnetIds: param.valueAsList, securityGroupIds: [SG] } }, 'Fn'), check: 'UNRESOLVED' };
    },
  },
  {
    name: 'not applicable: no VpcConfig',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'NOT_APPLICABLE' }),
  },
  {
    name: 'acknowledged: the exception on the function travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const { fn, vpc } = inPublicSubnets(stack);
      Validations.of(fn).acknowledge({ id: publicSubnet.id, reason: 'a public-facing test fixture, no data' });
      return {
        fn,
        check: [
          { on: fn, problem: `runs in public subnet ${subnetId(vpc, 'public', 0)} (it maps public IPs on launch)` },
          { on: fn, problem: `runs in public subnet ${subnetId(vpc, 'public', 1)} (it maps public IPs on launch)` },
        ],
      };
    },
    reported: false,
  },
]);
