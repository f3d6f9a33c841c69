import { CfnCondition, CfnParameter, Fn, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { insideVpc } from '../../../src/rules/lambda/lambda-inside-vpc';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const SG = 'sg-0123456789abcdef0';
const SUBNET = 'subnet-0123456789abcdef0';

ruleTable(insideVpc, [
  {
    name: 'compliant: VpcConfig with subnets, on an L1',
    build: (stack) => ({ fn: cfnFunction(stack, { vpcConfig: { subnetIds: [SUBNET], securityGroupIds: [SG] } }, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: VpcConfig with subnets, on an L2 in a VPC',
    build: (stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      return { fn: l2(stack, 'InVpc', { vpc }), check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: no VpcConfig (an L2 without vpc), on the function',
    build: (stack) => {
      const fn = l2(stack, 'NoVpc');
      return { fn, check: [{ on: fn, problem: 'no VpcConfig: the function runs outside any VPC' }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('NoVpc').node.defaultChild as lambda.CfnFunction).logicalId)],
  },
  {
    name: 'non-compliant: VpcConfig with an empty SubnetIds',
    build: (stack) => ({
      fn: cfnFunction(stack, { vpcConfig: { subnetIds: [], securityGroupIds: [SG] } }, 'Fn'),
      check: [{ on: 'Fn', problem: 'VpcConfig has no SubnetIds: the function runs outside any VPC' }],
    }),
  },
  {
    name: 'non-compliant: VpcConfig without SubnetIds',
    build: (stack) => ({
      fn: cfnFunction(stack, { vpcConfig: { securityGroupIds: [SG] } }, 'Fn'),
      check: [{ on: 'Fn', problem: 'VpcConfig has no SubnetIds: the function runs outside any VPC' }],
    }),
  },
  {
    name: 'unresolved: SubnetIds from a list parameter',
    build: (stack) => {
      const subnets = new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
      return { fn: cfnFunction(stack, { vpcConfig: { subnetIds: subnets.valueAsList, securityGroupIds: [SG] } }, 'Fn'), check: 'UNRESOLVED' };
    },
  },
  {
    name: 'unresolved: SubnetIds from Fn::Split of a parameter',
    build: (stack) => ({
      fn: cfnFunction(stack, { vpcConfig: { subnetIds: Fn.split(',', new CfnParameter(stack, 'Csv').valueAsString) } }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'unresolved: VpcConfig from a condition',
    build: (stack) => {
      new CfnCondition(stack, 'InVpc', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
      const fn = cfnFunction(stack, {}, 'Fn');
      fn.addPropertyOverride('VpcConfig', { 'Fn::If': ['InVpc', { SubnetIds: [SUBNET] }, { Ref: 'AWS::NoValue' }] });
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = l2(stack, 'NoVpc');
      Validations.of(fn).acknowledge({ id: insideVpc.id, reason: 'calls a public API only, no data of ours' });
      return { fn, check: [{ on: fn, problem: 'no VpcConfig: the function runs outside any VPC' }] };
    },
    reported: false,
  },
]);
