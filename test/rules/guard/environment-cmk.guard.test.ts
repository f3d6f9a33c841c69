import { CfnCondition, CfnParameter, Fn, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { plainL2 as l2, runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-env-cmk';

describe(`${RULE} in Guard`, () => {
  test('non-compliant: variables without a key, on an L1: both engines fail the rule, on the function', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { environment: { variables: { STAGE: 'prod', TABLE: 'orders' } } }, 'Fn');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual(['Fn']);
    expect(failure.messages[0]).toMatch(/^\[lambda-env-cmk\] Environment variables are encrypted with a customer-managed KMS key\. Fix: /);
  });

  test('non-compliant: variables without a key, on an L2', () => {
    const { app, stack } = stackIn();
    l2(stack, 'Plain', { environment: { TABLE: 'orders' } });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: lambda.Function with environmentEncryption', () => {
    const { app, stack } = stackIn();
    l2(stack, 'Encrypted', { environment: { TABLE: 'orders' }, environmentEncryption: new kms.Key(stack, 'Key') });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: no variables, or an empty Variables map, need no key', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'None');
    cfnFunction(stack, { environment: { variables: {} } }, 'Empty');
    l2(stack, 'NoEnv');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: a key chosen by a condition, or variables from a condition, pass both', () => {
    const { app, stack } = stackIn();
    const encrypt = new CfnCondition(stack, 'Encrypt', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
    cfnFunction(stack, {
      environment: { variables: { STAGE: 'prod' } },
      kmsKeyArn: Fn.conditionIf(encrypt.logicalId, 'arn:aws:kms:us-east-1:123456789012:key/abc', Fn.ref('AWS::NoValue')).toString(),
    }, 'Fn');
    const conditional = cfnFunction(stack, {}, 'Conditional');
    conditional.addPropertyOverride('Environment.Variables', { 'Fn::If': [encrypt.logicalId, { STAGE: 'prod' }, { Ref: 'AWS::NoValue' }] });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack, 'Plain', { environment: { TABLE: 'orders' } });
    Validations.of(fn).acknowledge({ id: RULE, reason: 'only non-sensitive settings in the environment' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
