import { CfnCondition, CfnParameter, Fn, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { plainL2 as l2, runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-inside-vpc';

describe(`${RULE} in Guard`, () => {
  test('non-compliant: no VpcConfig (an L2 without vpc): both engines fail the rule, on the function', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack, 'NoVpc');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-inside-vpc\] The function runs inside a VPC/);
  });

  test('non-compliant: VpcConfig with an empty SubnetIds, or none', () => {
    for (const vpcConfig of [{ subnetIds: [], securityGroupIds: ['sg-0123456789abcdef0'] }, { securityGroupIds: ['sg-0123456789abcdef0'] }]) {
      const { app, stack } = stackIn();
      cfnFunction(stack, { vpcConfig }, 'Fn');
      expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    }
  });

  test('compliant: VpcConfig with subnets, on an L1 and an L2', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { vpcConfig: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });

    const other = stackIn();
    const vpc = new ec2.Vpc(other.stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    l2(other.stack, 'InVpc', { vpc });
    expect(verdictOf(other.app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: SubnetIds from a list parameter or Fn::Split, or VpcConfig from a condition, pass both', () => {
    const fromList = stackIn();
    const subnets = new CfnParameter(fromList.stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
    cfnFunction(fromList.stack, { vpcConfig: { subnetIds: subnets.valueAsList, securityGroupIds: ['sg-0123456789abcdef0'] } }, 'Fn');
    expect(verdictOf(fromList.app, RULE)).toEqual({ aspect: false, guard: false });

    const fromSplit = stackIn();
    cfnFunction(fromSplit.stack, { vpcConfig: { subnetIds: Fn.split(',', new CfnParameter(fromSplit.stack, 'Csv').valueAsString) } }, 'Fn');
    expect(verdictOf(fromSplit.app, RULE)).toEqual({ aspect: false, guard: false });

    const conditional = stackIn();
    new CfnCondition(conditional.stack, 'InVpc', { expression: Fn.conditionEquals(new CfnParameter(conditional.stack, 'Flag').valueAsString, 'yes') });
    const fn = cfnFunction(conditional.stack, {}, 'Fn');
    fn.addPropertyOverride('VpcConfig', { 'Fn::If': ['InVpc', { SubnetIds: ['subnet-0123456789abcdef0'] }, { Ref: 'AWS::NoValue' }] });
    expect(verdictOf(conditional.app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack, 'NoVpc');
    Validations.of(fn).acknowledge({ id: RULE, reason: 'calls a public API only, no data of ours' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
