import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { LambdaHardening, SecureFunction, SecurityBaseline } from '../../src';
import { HANDLER_ASSET, minimalProps, newStack, testOwned } from '../support/fixtures';

const TOPIC = [{ Ref: Match.stringLikeRegexp('^SecureFunctionBaselineMonitoringAlarmTopic') }];
const FUNCTION_DIMENSION = [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^FnFunction[0-9A-F]{8}$') } }];
/** The same, for a plain `expect`. */
const ON_FUNCTION = [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^FnFunction[0-9A-F]{8}$/) } }];

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

/** The MetricName of each alarm of the stack, sorted. */
function metricNames(stack: Stack): string[] {
  return Object.values(alarmsOf(stack)).map((a) => a.Properties.MetricName).sort();
}

/** What every SecureFunction alarms on, whatever is wired to it. */
const ALWAYS = ['ApproximateNumberOfMessagesVisible', 'ConcurrentExecutions', 'DeadLetterErrors', 'Duration', 'Errors', 'RecursiveInvocationsDropped', 'Throttles'];

function kinesisSource(stack: Stack, props: Partial<sources.KinesisEventSourceProps> = {}): sources.KinesisEventSource {
  return new sources.KinesisEventSource(new kinesis.Stream(testOwned(stack), 'Stream'), { startingPosition: lambda.StartingPosition.LATEST, ...props });
}

describe('the alarms of a SecureFunction', () => {
  test('are seven with nothing wired to it, all to the stack topic, one five-minute period, missing data not breaching', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const alarms = Object.values(alarmsOf(stack));
    expect(alarms).toHaveLength(7);
    expect(metricNames(stack)).toEqual(ALWAYS);
    for (const a of alarms) {
      expect(a.Properties).toEqual(expect.objectContaining({
        TreatMissingData: 'notBreaching', EvaluationPeriods: 1, Period: 300, AlarmActions: [{ Ref: expect.stringMatching(/^SecureFunctionBaselineMonitoringAlarmTopic/) }],
      }));
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

  test('dead-letter errors: Sum of AWS/Lambda DeadLetterErrors of the function, at least 1: failed events that never reached the queue', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    expect(alarm(stack, 'FnAlarmsDeadLetterErrors')).toEqual(expect.objectContaining({
      ...COMMON, Namespace: 'AWS/Lambda', MetricName: 'DeadLetterErrors', Statistic: 'Sum', Threshold: 1, Dimensions: ON_FUNCTION,
    }));
  });

  test('recursive invocations dropped: Sum of AWS/Lambda RecursiveInvocationsDropped of the function, at least 1', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    expect(alarm(stack, 'FnAlarmsRecursiveInvocationsDropped')).toEqual(expect.objectContaining({
      ...COMMON, Namespace: 'AWS/Lambda', MetricName: 'RecursiveInvocationsDropped', Statistic: 'Sum', Threshold: 1, Dimensions: ON_FUNCTION,
    }));
  });

  test('thresholds can be overridden', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps({
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: 10,
      alarmThresholds: {
        errors: 5,
        throttles: 3,
        durationPercentOfTimeout: 50,
        concurrencyPercentOfReserved: 90,
        deadLetterMessages: 10,
        deadLetterErrors: 2,
        destinationDeliveryFailures: 4,
        iteratorAge: Duration.minutes(15),
        recursiveInvocationsDropped: 6,
      },
    }));
    fn.addEventSource(kinesisSource(stack));
    expect(alarm(stack, 'FnAlarmsErrors').Threshold).toBe(5);
    expect(alarm(stack, 'FnAlarmsThrottles').Threshold).toBe(3);
    expect(alarm(stack, 'FnAlarmsDuration').Threshold).toBe(5_000);
    expect(alarm(stack, 'FnAlarmsConcurrency').Threshold).toBe(9);
    expect(alarm(stack, 'FnAlarmsDeadLetters').Threshold).toBe(10);
    expect(alarm(stack, 'FnAlarmsDeadLetterErrors').Threshold).toBe(2);
    expect(alarm(stack, 'FnAlarmsDestinationDeliveryFailures').Threshold).toBe(4);
    expect(alarm(stack, 'FnAlarmsIteratorAge').Threshold).toBe(900_000);
    expect(alarm(stack, 'FnAlarmsRecursiveInvocationsDropped').Threshold).toBe(6);
  });

  test.each([
    [{ errors: 0 }, /'alarmThresholds.errors' must be a whole number of at least 1.*got 0/],
    [{ throttles: 1.5 }, /'alarmThresholds.throttles' must be a whole number of at least 1.*got 1.5/],
    [{ deadLetterMessages: -1 }, /'alarmThresholds.deadLetterMessages' must be a whole number/],
    [{ durationPercentOfTimeout: 0 }, /'alarmThresholds.durationPercentOfTimeout' must be a percentage above 0 and at most 100, got 0/],
    [{ concurrencyPercentOfReserved: 150 }, /'alarmThresholds.concurrencyPercentOfReserved' must be a percentage above 0 and at most 100, got 150/],
    [{ deadLetterErrors: 0 }, /'alarmThresholds.deadLetterErrors' must be a whole number of at least 1.*got 0/],
    [{ destinationDeliveryFailures: 2.5 }, /'alarmThresholds.destinationDeliveryFailures' must be a whole number of at least 1.*got 2.5/],
    [{ recursiveInvocationsDropped: 0 }, /'alarmThresholds.recursiveInvocationsDropped' must be a whole number of at least 1.*got 0/],
    [{ iteratorAge: Duration.seconds(0) }, /'alarmThresholds.iteratorAge' must be a duration above 0 known at synthesis.*got 0 seconds/],
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

describe('the alarms decided when the app synthesizes, where the function reports the metric', () => {
  test('an SQS source brings neither IteratorAge nor DestinationDeliveryFailures', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(testOwned(stack), 'Queue')));
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge' }, 0);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'DestinationDeliveryFailures' }, 0);
    expect(metricNames(stack)).toEqual(ALWAYS);
  });

  test('a Kinesis source added after the function: IteratorAge (Maximum, one minute), DestinationDeliveryFailures (its on-failure destination)', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.addEventSource(kinesisSource(stack));
    expect(alarm(stack, 'FnAlarmsIteratorAge')).toEqual(expect.objectContaining({
      ...COMMON, Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: 60_000, Dimensions: ON_FUNCTION,
    }));
    expect(alarm(stack, 'FnAlarmsDestinationDeliveryFailures')).toEqual(expect.objectContaining({
      ...COMMON, Namespace: 'AWS/Lambda', MetricName: 'DestinationDeliveryFailures', Statistic: 'Sum', Threshold: 1, Dimensions: ON_FUNCTION,
    }));
    expect(metricNames(stack)).toEqual([...ALWAYS, 'DestinationDeliveryFailures', 'IteratorAge'].sort());
  });

  test('IteratorAge of a DynamoDB Streams source: one minute beyond its batching window', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const table = new dynamodb.Table(testOwned(stack), 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    fn.addEventSource(new sources.DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.LATEST,
      maxBatchingWindow: Duration.minutes(2),
    }));
    expect(alarm(stack, 'FnAlarmsIteratorAge')).toEqual(expect.objectContaining({ MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: 180_000 }));
  });

  test('a Kafka source brings neither: Lambda reports OffsetLag for it, and its destination failures elsewhere', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.addEventSource(new sources.ManagedKafkaEventSource({
      clusterArn: 'arn:aws:kafka:us-east-1:111111111111:cluster/orders/abcd1234-abcd-cafe-abab-9876543210ab-4',
      topic: 'orders',
      startingPosition: lambda.StartingPosition.LATEST,
    }));
    expect(metricNames(stack)).toEqual(ALWAYS);
  });

  test('asynchronous invocation with a destination brings DestinationDeliveryFailures', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.configureAsyncInvoke({ retryAttempts: 1 });
    expect(alarm(stack, 'FnAlarmsDestinationDeliveryFailures')).toEqual(expect.objectContaining({
      ...COMMON, MetricName: 'DestinationDeliveryFailures', Statistic: 'Sum', Threshold: 1, Dimensions: ON_FUNCTION,
    }));
    expect(metricNames(stack)).toEqual([...ALWAYS, 'DestinationDeliveryFailures'].sort());
  });

  test('RecursiveInvocationsDropped is left out where the function allows recursive loops: Lambda reports none', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    (fn.function.node.defaultChild as lambda.CfnFunction).recursiveLoop = lambda.RecursiveLoop.ALLOW;
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'RecursiveInvocationsDropped' }, 0);
    expect(fn.alarms!.recursiveInvocationsDropped).toBeUndefined();
  });

  test('fn.alarms holds them once the app has synthesized, and lists them in all', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.addEventSource(kinesisSource(stack));
    expect(fn.alarms!.iteratorAge).toBeUndefined();
    expect(fn.alarms!.all).toHaveLength(6);
    Template.fromStack(stack);
    const made = [fn.alarms!.recursiveInvocationsDropped, fn.alarms!.destinationDeliveryFailures, fn.alarms!.iteratorAge];
    expect(made.map((a) => a?.node.id)).toEqual(['RecursiveInvocationsDropped', 'DestinationDeliveryFailures', 'IteratorAge']);
    expect(fn.alarms!.all).toHaveLength(9);
    expect(fn.alarms!.all.slice(6)).toEqual(made);
  });

  test('are decided the same with the recommended feature flags (Aspects invoked until stable)', () => {
    const stack = new Stack(new App({ context: { ...CURRENTLY_RECOMMENDED_FLAGS } }), 'Test');
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.addEventSource(kinesisSource(stack));
    expect(metricNames(stack)).toEqual([...ALWAYS, 'DestinationDeliveryFailures', 'IteratorAge'].sort());
  });

  test('are made once when a Stage synthesizes twice', () => {
    const stage = new Stage(new App(), 'Stage');
    const stack = new Stack(stage, 'Test');
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    fn.addEventSource(kinesisSource(stack));
    stage.synth();
    stage.synth({ force: true });
    expect(metricNames(stack)).toEqual([...ALWAYS, 'DestinationDeliveryFailures', 'IteratorAge'].sort());
    expect(fn.alarms!.all).toHaveLength(9);
  });
});

describe('the alarms of a function hardened by LambdaHardening', () => {
  function hardened(stack: Stack, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET), ...props });
    fn.with(new LambdaHardening());
    return fn;
  }
  const HARDENED_DIMENSION = [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Fn[0-9A-F]{8}$') } }];

  test('are the same seven, on the function itself; a Kinesis source added after hardening brings IteratorAge and DestinationDeliveryFailures', () => {
    const stack = newStack();
    const fn = hardened(stack);
    fn.addEventSource(kinesisSource(stack));
    expect(metricNames(stack)).toEqual([...ALWAYS, 'DestinationDeliveryFailures', 'IteratorAge'].sort());
    for (const metricName of ['DeadLetterErrors', 'RecursiveInvocationsDropped', 'DestinationDeliveryFailures', 'IteratorAge']) {
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metricName, Dimensions: HARDENED_DIMENSION });
    }
  });

  test('a function that kept RecursiveLoop: Allow gets no RecursiveInvocationsDropped alarm', () => {
    const stack = newStack();
    hardened(stack, { recursiveLoop: lambda.RecursiveLoop.ALLOW });
    expect(metricNames(stack)).toEqual(ALWAYS.filter((name) => name !== 'RecursiveInvocationsDropped'));
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
