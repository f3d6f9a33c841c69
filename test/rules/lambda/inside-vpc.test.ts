import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { insideVpc } from '../../../src/rules/lambda/lambda-inside-vpc';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function l2(stack: ReturnType<typeof newStack>, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.CfnFunction {
  const fn = new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props,
  });
  return fn.node.defaultChild as lambda.CfnFunction;
}

describe('lambda-inside-vpc', () => {
  test('compliant: VpcConfig with subnets (L1 and L2)', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, { vpcConfig: { subnetIds: ['subnet-1234'], securityGroupIds: ['sg-1234'] } });
    expect(insideVpc.check(FunctionView.of(fn))).toBe('COMPLIANT');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expect(insideVpc.check(FunctionView.of(l2(stack, 'InVpc', { vpc })))).toBe('COMPLIANT');
  });

  test('non-compliant: no VpcConfig (L2 without vpc)', () => {
    const stack = newStack();
    const fn = l2(stack, 'NoVpc');
    expect(insideVpc.check(FunctionView.of(fn))).toEqual([
      { resource: fn, problem: 'no VpcConfig: the function runs outside any VPC' },
    ]);
  });

  test('non-compliant: VpcConfig with an empty SubnetIds, or none', () => {
    const stack = newStack();
    const empty = cfnFunction(stack, { vpcConfig: { subnetIds: [], securityGroupIds: ['sg-1234'] } });
    expect(insideVpc.check(FunctionView.of(empty))).toEqual([
      { resource: empty, problem: 'VpcConfig has no SubnetIds: the function runs outside any VPC' },
    ]);
    const none = cfnFunction(stack, { vpcConfig: { securityGroupIds: ['sg-1234'] } });
    expect(insideVpc.check(FunctionView.of(none))).toEqual([
      { resource: none, problem: 'VpcConfig has no SubnetIds: the function runs outside any VPC' },
    ]);
  });

  test('unresolved: SubnetIds from a list parameter, or VpcConfig from a condition', () => {
    const stack = newStack();
    const subnets = new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
    const fromList = cfnFunction(stack, { vpcConfig: { subnetIds: subnets.valueAsList, securityGroupIds: ['sg-1234'] } });
    expect(insideVpc.check(FunctionView.of(fromList))).toBe('UNRESOLVED');
    const fromSplit = cfnFunction(stack, { vpcConfig: { subnetIds: Fn.split(',', new CfnParameter(stack, 'Csv').valueAsString) } });
    expect(insideVpc.check(FunctionView.of(fromSplit))).toBe('UNRESOLVED');
    const conditional = cfnFunction(stack);
    conditional.addPropertyOverride('VpcConfig', { 'Fn::If': ['InVpc', { SubnetIds: ['subnet-1'] }, { Ref: 'AWS::NoValue' }] });
    expect(insideVpc.check(FunctionView.of(conditional))).toBe('UNRESOLVED');
  });
});
