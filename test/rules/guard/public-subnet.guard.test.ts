import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction, vpcOf } from '../../support/rule-fixtures';

const RULE = 'lambda-public-subnet';

function l2(stack: Stack, props: Partial<lambda.FunctionProps>): lambda.Function {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
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

describe(`${RULE} in Guard`, () => {
  test('compliant: the L2 in the isolated subnets', () => {
    const { app, stack } = stackIn();
    l2(stack, { vpc: vpcOf(stack), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('non-compliant: the L2 in PUBLIC subnets (they map public IPs): both fail, on the function', () => {
    const { app, stack } = stackIn();
    l2(stack, { vpc: vpcOf(stack), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, allowPublicSubnet: true });
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    const failure = v.guardFailures.Stack.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve((stack.node.findChild('Fn').node.defaultChild as lambda.CfnFunction).logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-public-subnet\] The function runs in private or isolated subnets, never public ones\. Fix: /);
  });

  test('non-compliant: an L1 subnet public only by its route to an internet gateway (Ref and Fn::GetAtt)', () => {
    const { app, stack } = stackIn();
    const subnet = routedSubnet(stack);
    cfnFunction(stack, { vpcConfig: { subnetIds: [subnet.ref], securityGroupIds: ['sg-0123456789abcdef0'] } }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });

    const other = stackIn();
    const byAtt = routedSubnet(other.stack);
    cfnFunction(other.stack, { vpcConfig: { subnetIds: [byAtt.attrSubnetId], securityGroupIds: ['sg-0123456789abcdef0'] } }, 'Fn');
    expect(verdictOf(other.app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('a route to a gateway that is not an internet gateway does not make the subnet public', () => {
    const { app, stack } = stackIn();
    const vpc = new ec2.CfnVPC(stack, 'RawVpc', { cidrBlock: '10.0.0.0/16' });
    const subnet = new ec2.CfnSubnet(stack, 'RawSubnet', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
    const vgw = new ec2.CfnVPNGateway(stack, 'Vgw', { type: 'ipsec.1' });
    const table = new ec2.CfnRouteTable(stack, 'Table', { vpcId: vpc.ref });
    new ec2.CfnSubnetRouteTableAssociation(stack, 'Assoc', { subnetId: subnet.ref, routeTableId: table.ref });
    new ec2.CfnRoute(stack, 'ToVpn', { routeTableId: table.ref, destinationCidrBlock: '10.1.0.0/16', gatewayId: vgw.ref });
    cfnFunction(stack, { vpcConfig: { subnetIds: [subnet.ref], securityGroupIds: ['sg-0123456789abcdef0'] } }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('mixed in-stack and imported subnets: the in-stack public one fails both; a private one beside an imported one passes both', () => {
    const { app, stack } = stackIn();
    const vpc = vpcOf(stack);
    cfnFunction(stack, { vpcConfig: { subnetIds: [vpc.publicSubnets[0].subnetId, 'subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });

    const other = stackIn();
    const otherVpc = vpcOf(other.stack);
    cfnFunction(other.stack, { vpcConfig: { subnetIds: [otherVpc.isolatedSubnets[0].subnetId, 'subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } }, 'Fn');
    expect(verdictOf(other.app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: imported subnets, or a subnet list parameter, pass both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { vpcConfig: { subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: ['sg-0123456789abcdef0'] } }, 'Imported');
    const param = new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
    cfnFunction(stack, { vpcConfig: { subnetIds: param.valueAsList, securityGroupIds: ['sg-0123456789abcdef0'] } }, 'FromParam');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('not applicable: no VpcConfig', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception on the function travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack, { vpc: vpcOf(stack), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, allowPublicSubnet: true });
    Validations.of(fn).acknowledge({ id: RULE, reason: 'a public-facing test fixture, no data' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
