import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { unrestrictedEgress } from '../../../src/rules/lambda/lambda-unrestricted-egress';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

const PLACEHOLDER = { cidrIp: '255.255.255.255/32', description: 'Disallow all traffic', ipProtocol: 'icmp', fromPort: 252, toPort: 86 };

/** An L2 function in an isolated VPC, and its security group as the template has it. */
function l2(stack: Stack, allowAllOutbound?: boolean): { fn: lambda.CfnFunction; sg: ec2.CfnSecurityGroup } {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, restrictDefaultSecurityGroup: false, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), vpc, allowAllOutbound,
  });
  return { fn: fn.node.defaultChild as lambda.CfnFunction, sg: fn.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup };
}

/** An L1 function with one L1 security group holding `egress`. */
function withGroup(stack: Stack, id: string, egress?: ec2.CfnSecurityGroup.EgressProperty[]): { fn: lambda.CfnFunction; sg: ec2.CfnSecurityGroup } {
  const sg = new ec2.CfnSecurityGroup(stack, id, { groupDescription: id, vpcId: 'vpc-1', securityGroupEgress: egress });
  const fn = cfnFunction(stack, { vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: [sg.attrGroupId] } });
  return { fn, sg };
}

describe('lambda-unrestricted-egress', () => {
  test('compliant: the L2 with allowAllOutbound false (CDK placeholder rule)', () => {
    const stack = newStack();
    expect(unrestrictedEgress.check(FunctionView.of(l2(stack, false).fn))).toBe('COMPLIANT');
  });

  test('compliant: tcp 443 to 0.0.0.0/0, all traffic to a narrower CIDR, all traffic to another group', () => {
    const stack = newStack();
    const { fn } = withGroup(stack, 'Https', [
      { cidrIp: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443 },
      { cidrIp: '10.0.0.0/8', ipProtocol: '-1' },
      { destinationSecurityGroupId: 'sg-other', ipProtocol: '-1' },
    ]);
    expect(unrestrictedEgress.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('non-compliant: the L2 with the default allowAllOutbound (true)', () => {
    const stack = newStack();
    const { fn, sg } = l2(stack);
    expect(unrestrictedEgress.check(FunctionView.of(fn))).toEqual([
      { resource: sg, problem: `egress to 0.0.0.0/0 on all traffic (security group ${stack.resolve(sg.logicalId)})` },
    ]);
  });

  test('non-compliant: ::/0 on all traffic, and 0.0.0.0/0 on every UDP port', () => {
    const stack = newStack();
    const { fn, sg } = withGroup(stack, 'Open', [
      { cidrIpv6: '::/0', ipProtocol: '-1' },
      { cidrIp: '0.0.0.0/0', ipProtocol: 'udp', fromPort: 0, toPort: 65535 },
    ]);
    expect(unrestrictedEgress.check(FunctionView.of(fn))).toEqual([
      { resource: sg, problem: 'egress to ::/0 on all traffic (security group Open)' },
      { resource: sg, problem: 'egress to 0.0.0.0/0 on all UDP ports (security group Open)' },
    ]);
  });

  test('non-compliant: an AWS::EC2::SecurityGroupEgress resource on all TCP ports', () => {
    const stack = newStack();
    const { fn, sg } = withGroup(stack, 'Closed', [PLACEHOLDER]);
    const egress = new ec2.CfnSecurityGroupEgress(stack, 'AllTcp', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIp: '0.0.0.0/0' });
    expect(unrestrictedEgress.check(FunctionView.of(fn))).toEqual([
      { resource: egress, problem: 'egress to 0.0.0.0/0 on all TCP ports (security group Closed, rule AllTcp)' },
    ]);
  });

  test('non-compliant: a group with no egress rule at all keeps EC2\'s default allow-all rule', () => {
    const stack = newStack();
    const { fn, sg } = withGroup(stack, 'Bare');
    expect(unrestrictedEgress.check(FunctionView.of(fn))).toEqual([
      { resource: sg, problem: 'egress to 0.0.0.0/0 on all traffic: the group lists no egress rule, so EC2 adds its default one (security group Bare)' },
    ]);
  });

  test('compliant: a group whose only egress is a standalone rule (CloudFormation then removes the default one)', () => {
    const stack = newStack();
    const { fn, sg } = withGroup(stack, 'OnlyStandalone');
    new ec2.CfnSecurityGroupEgress(stack, 'Https', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' });
    expect(unrestrictedEgress.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('unresolved: an imported group, or a destination from a parameter', () => {
    const stack = newStack();
    const imported = cfnFunction(stack, { vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-imported'] } });
    expect(unrestrictedEgress.check(FunctionView.of(imported))).toBe('UNRESOLVED');
    const cidr = new CfnParameter(stack, 'Cidr').valueAsString;
    const { fn } = withGroup(stack, 'Param', [{ cidrIp: cidr, ipProtocol: '-1' }]);
    expect(unrestrictedEgress.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });

  test('not applicable: no VpcConfig', () => {
    const stack = newStack();
    expect(unrestrictedEgress.check(FunctionView.of(cfnFunction(stack)))).toBe('NOT_APPLICABLE');
  });
});
