import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { alarms } from '../../../src/rules/lambda/lambda-alarms';
import { newStack } from '../../support/fixtures';
import { alarmOn, cfnFunction } from '../../support/rule-fixtures';

const PROBLEM = 'no CloudWatch alarm on the function\'s Errors metric';

function l2(stack: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
}

const cfn = (fn: lambda.Function) => fn.node.defaultChild as lambda.CfnFunction;

describe('lambda-alarms', () => {
  test('compliant: fn.metricErrors().createAlarm on an L2', () => {
    const stack = newStack();
    const fn = l2(stack);
    fn.metricErrors().createAlarm(stack, 'Errors', { threshold: 1, evaluationPeriods: 1 });
    expect(alarms.check(FunctionView.of(cfn(fn)))).toBe('COMPLIANT');
  });

  test('compliant: an Errors alarm on an alias, or by the function\'s literal name', () => {
    const stack = newStack();
    const fn = l2(stack);
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    alias.metricErrors().createAlarm(stack, 'AliasErrors', { threshold: 1, evaluationPeriods: 1 });
    expect(alarms.check(FunctionView.of(cfn(fn)))).toBe('COMPLIANT');
    const named = cfnFunction(stack, { functionName: 'orders' });
    alarmOn(stack, 'ByName', 'Errors', 'orders');
    expect(alarms.check(FunctionView.of(named))).toBe('COMPLIANT');
  });

  test('non-compliant: no alarm, or alarms on other metrics only', () => {
    const stack = newStack();
    const fn = l2(stack);
    expect(alarms.check(FunctionView.of(cfn(fn)))).toEqual([{ resource: cfn(fn), problem: PROBLEM }]);
    fn.metricThrottles().createAlarm(stack, 'Throttles', { threshold: 1, evaluationPeriods: 1 });
    expect(alarms.check(FunctionView.of(cfn(fn)))).toEqual([{ resource: cfn(fn), problem: PROBLEM }]);
    const other = l2(stack, 'Other');
    other.metricErrors().createAlarm(stack, 'OtherErrors', { threshold: 1, evaluationPeriods: 1 });
    expect(alarms.check(FunctionView.of(cfn(fn)))).toEqual([{ resource: cfn(fn), problem: PROBLEM }]);
  });

  test('unresolved: an alarm whose metric name comes from a parameter is not judged', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, { functionName: 'orders' });
    alarmOn(stack, 'Param', new CfnParameter(stack, 'Metric').valueAsString, 'orders');
    expect(alarms.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
