import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-unrestricted-egress';
const VPC_ID = 'vpc-0123456789abcdef0';
const SUBNET_ID = 'subnet-0123456789abcdef0';
const PLACEHOLDER = { cidrIp: '255.255.255.255/32', description: 'Disallow all traffic', ipProtocol: 'icmp', fromPort: 252, toPort: 86 };

/** An L2 function in an isolated VPC. */
function l2(stack: Stack, allowAllOutbound?: boolean): lambda.Function {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, restrictDefaultSecurityGroup: false, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), vpc, allowAllOutbound,
  });
}

/** An L1 function with one L1 security group holding `egress`. */
function withGroup(stack: Stack, id: string, egress?: ec2.CfnSecurityGroup.EgressProperty[]): { fn: lambda.CfnFunction; sg: ec2.CfnSecurityGroup } {
  const sg = new ec2.CfnSecurityGroup(stack, id, { groupDescription: id, vpcId: VPC_ID, securityGroupEgress: egress });
  const fn = cfnFunction(stack, { vpcConfig: { subnetIds: [SUBNET_ID], securityGroupIds: [sg.attrGroupId] } }, 'Fn');
  return { fn, sg };
}

describe(`${RULE} in Guard`, () => {
  test('compliant: the L2 with allowAllOutbound false (CDK placeholder rule)', () => {
    const { app, stack } = stackIn();
    l2(stack, false);
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: tcp 443 to 0.0.0.0/0, all traffic to a narrower CIDR, all traffic to another group', () => {
    const { app, stack } = stackIn();
    withGroup(stack, 'Https', [
      { cidrIp: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443 },
      { cidrIp: '10.0.0.0/8', ipProtocol: '-1' },
      { destinationSecurityGroupId: 'sg-0123456789abcdef1', ipProtocol: '-1' },
    ]);
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('non-compliant: the L2 with the default allowAllOutbound (true): both fail, on the security group', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    const failure = v.guardFailures.Stack.find((f) => f.ruleId === RULE)!;
    const sg = fn.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup;
    expect(failure.logicalIds).toEqual([stack.resolve(sg.logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-unrestricted-egress\] No security group of the function allows all traffic to 0\.0\.0\.0\/0 or ::\/0\. Fix: /);
  });

  test('non-compliant: ::/0 on all traffic, or 0.0.0.0/0 on every UDP port', () => {
    for (const egress of [{ cidrIpv6: '::/0', ipProtocol: '-1' }, { cidrIp: '0.0.0.0/0', ipProtocol: 'udp', fromPort: 0, toPort: 65535 }]) {
      const { app, stack } = stackIn();
      withGroup(stack, 'Open', [egress]);
      expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    }
  });

  test('non-compliant: an AWS::EC2::SecurityGroupEgress resource on all TCP ports fails on that resource', () => {
    const { app, stack } = stackIn();
    const { sg } = withGroup(stack, 'Closed', [PLACEHOLDER]);
    new ec2.CfnSecurityGroupEgress(stack, 'AllTcp', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIp: '0.0.0.0/0' });
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    expect(v.guardFailures.Stack.find((f) => f.ruleId === RULE)!.logicalIds).toEqual(['AllTcp']);
  });

  test('non-compliant: a group with no egress rule at all keeps EC2\'s default allow-all rule', () => {
    const { app, stack } = stackIn();
    withGroup(stack, 'Bare');
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    expect(v.guardFailures.Stack.find((f) => f.ruleId === RULE)!.logicalIds).toEqual(['Bare']);
  });

  test('compliant: a group whose only egress is a standalone rule (CloudFormation then removes the default one)', () => {
    const { app, stack } = stackIn();
    const { sg } = withGroup(stack, 'OnlyStandalone');
    new ec2.CfnSecurityGroupEgress(stack, 'Https', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: an imported group, or a destination from a parameter, passes both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { vpcConfig: { subnetIds: [SUBNET_ID], securityGroupIds: ['sg-0123456789abcdef1'] } }, 'Imported');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });

    const other = stackIn();
    withGroup(other.stack, 'Param', [{ cidrIp: new CfnParameter(other.stack, 'Cidr').valueAsString, ipProtocol: '-1' }]);
    expect(verdictOf(other.app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('not applicable: no VpcConfig', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: on the function, on the reported group, or on the reported standalone rule', () => {
    const onFunction = stackIn();
    Validations.of(withGroup(onFunction.stack, 'Bare').fn).acknowledge({ id: RULE, reason: 'egress is filtered by the network firewall' });
    expect(verdictOf(onFunction.app, RULE)).toEqual({ aspect: false, guard: false });

    const onGroup = stackIn();
    Validations.of(withGroup(onGroup.stack, 'Open', [{ cidrIp: '0.0.0.0/0', ipProtocol: '-1' }]).sg).acknowledge({ id: RULE, reason: 'egress is filtered by the network firewall' });
    expect(verdictOf(onGroup.app, RULE)).toEqual({ aspect: false, guard: false });

    const onRule = stackIn();
    const { sg } = withGroup(onRule.stack, 'Closed', [PLACEHOLDER]);
    const egress = new ec2.CfnSecurityGroupEgress(onRule.stack, 'AllTcp', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIp: '0.0.0.0/0' });
    Validations.of(egress).acknowledge({ id: RULE, reason: 'egress is filtered by the network firewall' });
    expect(verdictOf(onRule.app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledging the group does not cover a standalone rule on it (a resource of its own)', () => {
    const { app, stack } = stackIn();
    const { sg } = withGroup(stack, 'Closed', [PLACEHOLDER]);
    Validations.of(sg).acknowledge({ id: RULE, reason: 'the group itself is reviewed' });
    new ec2.CfnSecurityGroupEgress(stack, 'AllTcp', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIp: '0.0.0.0/0' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });
});
