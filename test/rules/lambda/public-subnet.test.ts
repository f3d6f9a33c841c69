import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { publicSubnet } from '../../../src/rules/lambda/lambda-public-subnet';
import { newStack } from '../../support/fixtures';
import { cfnFunction, vpcOf } from '../../support/rule-fixtures';

function l2(stack: Stack, id: string, props: Partial<lambda.FunctionProps>): lambda.CfnFunction {
  const fn = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
  return fn.node.defaultChild as lambda.CfnFunction;
}

/** A subnet of `vpc` as the template names it. */
function subnetId(vpc: ec2.Vpc, type: 'public' | 'isolated', n: number): string {
  const subnets = type === 'public' ? vpc.publicSubnets : vpc.isolatedSubnets;
  return Stack.of(vpc).resolve((subnets[n].node.defaultChild as ec2.CfnSubnet).logicalId);
}

describe('lambda-public-subnet', () => {
  test('compliant: the L2 in the isolated subnets', () => {
    const stack = newStack();
    const fn = l2(stack, 'Fn', { vpc: vpcOf(stack), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    expect(publicSubnet.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('non-compliant: the L2 in PUBLIC subnets (allowPublicSubnet), one violation per subnet', () => {
    const stack = newStack();
    const vpc = vpcOf(stack);
    const fn = l2(stack, 'Fn', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, allowPublicSubnet: true });
    expect(publicSubnet.check(FunctionView.of(fn))).toEqual([
      { resource: fn, problem: `runs in public subnet ${subnetId(vpc, 'public', 0)} (it maps public IPs on launch)` },
      { resource: fn, problem: `runs in public subnet ${subnetId(vpc, 'public', 1)} (it maps public IPs on launch)` },
    ]);
  });

  test('non-compliant: an L1 subnet public only by its route to an internet gateway', () => {
    const stack = newStack();
    const vpc = new ec2.CfnVPC(stack, 'RawVpc', { cidrBlock: '10.0.0.0/16' });
    const subnet = new ec2.CfnSubnet(stack, 'RawSubnet', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
    const igw = new ec2.CfnInternetGateway(stack, 'Igw');
    const table = new ec2.CfnRouteTable(stack, 'Table', { vpcId: vpc.ref });
    new ec2.CfnSubnetRouteTableAssociation(stack, 'Assoc', { subnetId: subnet.ref, routeTableId: table.ref });
    new ec2.CfnRoute(stack, 'ToInternet', { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.ref });
    const fn = cfnFunction(stack, { vpcConfig: { subnetIds: [subnet.ref], securityGroupIds: ['sg-1'] } });
    expect(publicSubnet.check(FunctionView.of(fn))).toEqual([
      { resource: fn, problem: 'runs in public subnet RawSubnet (it routes to an internet gateway)' },
    ]);
  });

  test('mixed in-stack and imported subnets: the in-stack public one is reported', () => {
    const stack = newStack();
    const vpc = vpcOf(stack);
    const fn = cfnFunction(stack, { vpcConfig: { subnetIds: [vpc.publicSubnets[0].subnetId, 'subnet-imported'], securityGroupIds: ['sg-1'] } });
    expect(publicSubnet.check(FunctionView.of(fn))).toEqual([
      { resource: fn, problem: `runs in public subnet ${subnetId(vpc, 'public', 0)} (it maps public IPs on launch)` },
    ]);
    // A private in-stack subnet beside an imported one: the imported one may be public.
    const mixed = cfnFunction(stack, { vpcConfig: { subnetIds: [vpc.isolatedSubnets[0].subnetId, 'subnet-imported'], securityGroupIds: ['sg-1'] } });
    expect(publicSubnet.check(FunctionView.of(mixed))).toBe('UNRESOLVED');
  });

  test('unresolved: imported subnets, or a subnet list parameter', () => {
    const stack = newStack();
    const imported = cfnFunction(stack, { vpcConfig: { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] } });
    expect(publicSubnet.check(FunctionView.of(imported))).toBe('UNRESOLVED');
    const param = new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
    const fromParam = cfnFunction(stack, { vpcConfig: { subnetIds: param.valueAsList, securityGroupIds: ['sg-1'] } });
    expect(publicSubnet.check(FunctionView.of(fromParam))).toBe('UNRESOLVED');
  });

  test('not applicable: no VpcConfig', () => {
    const stack = newStack();
    expect(publicSubnet.check(FunctionView.of(cfnFunction(stack)))).toBe('NOT_APPLICABLE');
  });
});
