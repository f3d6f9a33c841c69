import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { plainL2 as l2, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { alarmOn, cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-alarms';

describe(`${RULE} in Guard`, () => {
  test('compliant: fn.metricErrors().createAlarm on an L2', () => {
    const { app, stack } = stackIn();
    l2(stack).metricErrors().createAlarm(stack, 'Errors', { threshold: 1, evaluationPeriods: 1 });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: an Errors alarm on an alias (a version stands for the function too)', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    alias.metricErrors().createAlarm(stack, 'AliasErrors', { threshold: 1, evaluationPeriods: 1 });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: an Errors alarm whose dimension is an alias reference', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: '$LATEST', name: 'live' });
    alarmOn(stack, 'AliasErrors', 'Errors', alias.ref);
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: an Errors alarm naming the function by its literal name', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { functionName: 'orders' }, 'Fn');
    alarmOn(stack, 'ByName', 'Errors', 'orders');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('non-compliant: no alarm: both fail, on the function', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    const failure = v.guardFailures.Stack.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-alarms\] A CloudWatch alarm watches the function's Errors metric\. Fix: /);
  });

  test('non-compliant: alarms on other metrics only, or an Errors alarm on another function', () => {
    const { app, stack } = stackIn();
    l2(stack).metricThrottles().createAlarm(stack, 'Throttles', { threshold: 1, evaluationPeriods: 1 });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });

    const other = stackIn();
    const fn = l2(other.stack);
    l2(other.stack, 'Other').metricErrors().createAlarm(other.stack, 'OtherErrors', { threshold: 1, evaluationPeriods: 1 });
    const v = verdicts(other.app);
    expect(v.aspect.Stack).toContain(RULE);
    const fnId = other.stack.resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId);
    expect(v.guardFailures.Stack.find((f) => f.ruleId === RULE)!.logicalIds).toEqual([fnId]);
  });

  test('unresolved: an alarm whose metric name comes from a parameter passes both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { functionName: 'orders' }, 'Fn');
    alarmOn(stack, 'Param', new CfnParameter(stack, 'Metric').valueAsString, 'orders');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception on the function travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    Validations.of(fn).acknowledge({ id: RULE, reason: 'errors are alarmed by the platform team' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
