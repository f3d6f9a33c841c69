import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SecureFunction, SecurityBaseline } from '../../src';
import { minimalProps, newStack, testOwned } from '../support/fixtures';

const TOPIC = [{ Ref: Match.stringLikeRegexp('^SecureFunctionBaselineMonitoringAlarmTopic') }];
const FUNCTION_DIMENSION = [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^FnFunction[0-9A-F]{8}$') } }];

function alarmsOf(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
}

function alarm(stack: Stack, idPrefix: string): any {
  const found = Object.entries(alarmsOf(stack)).filter(([id]) => id.startsWith(idPrefix));
  expect(found).toHaveLength(1);
  return found[0][1].Properties;
}

const COMMON = {
  Period: 300,
  EvaluationPeriods: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching',
  AlarmActions: [{ Ref: expect.stringMatching(/^SecureFunctionBaselineMonitoringAlarmTopic/) }],
};

describe('the alarms of a SecureFunction', () => {
  test('are five, all to the stack topic', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const alarms = Object.values(alarmsOf(stack));
    expect(alarms).toHaveLength(5);
    for (const a of alarms) {
      expect(a.Properties).toEqual(expect.objectContaining({ TreatMissingData: 'notBreaching', EvaluationPeriods: 1 }));
    }
  });

  test('errors: Sum of AWS/Lambda Errors of the function, at least 1 in five minutes', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    expect(alarm(stack, 'FnAlarmsErrors')).toEqual(expect.objectContaining({
      ...COMMON, Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Threshold: 1,
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: FUNCTION_DIMENSION, AlarmActions: TOPIC });
  });

  test('throttles: Sum of AWS/Lambda Throttles, at least 1', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    expect(alarm(stack, 'FnAlarmsThrottles')).toEqual(expect.objectContaining({
      ...COMMON, Namespace: 'AWS/Lambda', MetricName: 'Throttles', Statistic: 'Sum', Threshold: 1,
    }));
  });

  test('duration: p99 at 80% of the timeout, in milliseconds', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ timeout: Duration.seconds(20) }));
    expect(alarm(stack, 'FnAlarmsDuration')).toEqual(expect.objectContaining({
      ...COMMON, Namespace: 'AWS/Lambda', MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 16_000,
    }));
  });

  test('concurrency: Maximum of ConcurrentExecutions at 80% of the reservation, rounded up', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ reservedConcurrentExecutions: 7 }));
    expect(alarm(stack, 'FnAlarmsConcurrency')).toEqual(expect.objectContaining({
      ...COMMON, Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions', Statistic: 'Maximum', Threshold: 6,
    }));
  });

  test('dead letters: Maximum of visible messages in the function\'s queue, at least 1', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    expect(alarm(stack, 'FnAlarmsDeadLetters')).toEqual(expect.objectContaining({
      ...COMMON,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^FnDeadLetterQueue/), 'QueueName'] } }],
    }));
  });

  test('thresholds can be overridden', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: 10,
      alarmThresholds: { errors: 5, throttles: 3, durationPercentOfTimeout: 50, concurrencyPercentOfReserved: 90, deadLetterMessages: 10 },
    }));
    expect(alarm(stack, 'FnAlarmsErrors').Threshold).toBe(5);
    expect(alarm(stack, 'FnAlarmsThrottles').Threshold).toBe(3);
    expect(alarm(stack, 'FnAlarmsDuration').Threshold).toBe(5_000);
    expect(alarm(stack, 'FnAlarmsConcurrency').Threshold).toBe(9);
    expect(alarm(stack, 'FnAlarmsDeadLetters').Threshold).toBe(10);
  });

  test.each([
    [{ errors: 0 }, /'alarmThresholds.errors' must be a whole number of at least 1.*got 0/],
    [{ throttles: 1.5 }, /'alarmThresholds.throttles' must be a whole number of at least 1.*got 1.5/],
    [{ deadLetterMessages: -1 }, /'alarmThresholds.deadLetterMessages' must be a whole number/],
    [{ durationPercentOfTimeout: 0 }, /'alarmThresholds.durationPercentOfTimeout' must be a percentage above 0 and at most 100, got 0/],
    [{ concurrencyPercentOfReserved: 150 }, /'alarmThresholds.concurrencyPercentOfReserved' must be a percentage above 0 and at most 100, got 150/],
  ])('a threshold that cannot work is an error: %p', (alarmThresholds, message) => {
    const stack = newStack();
    expect(() => new SecureFunction(stack, 'Fn', minimalProps({ alarmThresholds }))).toThrow(message);
  });

  test('turning alarms off is a reported relaxation, and creates none', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ alarms: false }));
    expect(Object.keys(alarmsOf(stack))).toHaveLength(0);
    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('alarms: false'));
  });

  test('go to the user\'s topic when the baseline brings one, and no topic is created', () => {
    const stack = newStack();
    const topic = new sns.Topic(testOwned(stack), 'OpsTopic');
    new SecurityBaseline(stack, 'Baseline', { alarmTopic: topic });
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', AlarmActions: [{ Ref: Match.stringLikeRegexp('^TestOwnedOpsTopic') }] });
  });

  test('accept more actions through fn.alarms', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const pager = new sns.Topic(testOwned(stack), 'Pager');
    fn.alarms!.errors.addAlarmAction({ bind: () => ({ alarmActionArn: pager.topicArn }) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      AlarmActions: [TOPIC[0], { Ref: Match.stringLikeRegexp('^TestOwnedPager') }],
    });
  });
});

describe('metric helpers', () => {
  test('name the underlying function, not the alias', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const resolve = (m: { dimensions?: Record<string, unknown> }) => stack.resolve(m.dimensions);
    const expected = { FunctionName: { Ref: expect.stringMatching(/^FnFunction[0-9A-F]{8}$/) } };
    expect(resolve(fn.metricErrors())).toEqual(expected);
    expect(resolve(fn.metricDuration())).toEqual(expected);
    expect(resolve(fn.metricInvocations())).toEqual(expected);
    expect(resolve(fn.metricThrottles())).toEqual(expected);
    expect(resolve(fn.metricConcurrentExecutions())).toEqual(expected);
    expect(fn.metricConcurrentExecutions().statistic).toBe('Maximum');
  });

  test('metricDeadLetterMessages watches the function\'s dead-letter queue', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const metric = fn.metricDeadLetterMessages({ period: Duration.minutes(1) });
    expect(metric.namespace).toBe('AWS/SQS');
    expect(metric.metricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(metric.statistic).toBe('Maximum');
    expect(stack.resolve(metric.dimensions)).toEqual({ QueueName: { 'Fn::GetAtt': [expect.stringMatching(/^FnDeadLetterQueue/), 'QueueName'] } });
  });
});
