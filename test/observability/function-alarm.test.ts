import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fc from 'fast-check';
import { FunctionAlarm } from '../../src';

const ACTION = (arn: string): cloudwatch.IAlarmAction => ({ bind: () => ({ alarmActionArn: arn }) });

/** The properties of the one alarm `build` adds to a fresh stack. */
function alarmProperties(build: (stack: Stack) => cloudwatch.IAlarm): Record<string, unknown> {
  const stack = new Stack(new App(), 'Stack');
  build(stack);
  const [alarm] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
  return alarm.Properties;
}

describe('FunctionAlarm', () => {
  test('renders what cloudwatch.Alarm renders for the same metric, threshold and actions', () => {
    const statistics = fc.constantFrom('Sum', 'Maximum', 'Minimum', 'Average', 'SampleCount', 'p99', 'p50', 'tm90', 'IQM');
    const units = fc.constantFrom(undefined, cloudwatch.Unit.MILLISECONDS, cloudwatch.Unit.COUNT);
    fc.assert(fc.property(
      statistics, fc.constantFrom(1, 5, 60), fc.integer({ min: 1, max: 100_000 }), units, fc.boolean(),
      (statistic, minutes, threshold, unit, withDimension) => {
        const metric = new cloudwatch.Metric({
          namespace: 'AWS/Lambda',
          metricName: 'Duration',
          statistic,
          unit,
          period: Duration.minutes(minutes),
          dimensionsMap: withDimension ? { FunctionName: 'orders' } : undefined,
        });
        const alarmDescription = `at least ${threshold}`;
        const ours = alarmProperties((stack) => {
          const alarm = new FunctionAlarm(stack, 'Alarm', { metric, threshold, alarmDescription });
          alarm.addAlarmAction(ACTION('arn:aws:sns:us-east-1:111111111111:pager'));
          alarm.addOkAction(ACTION('arn:aws:sns:us-east-1:111111111111:ok'));
          return alarm;
        });
        const cdks = alarmProperties((stack) => {
          const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
            metric,
            threshold,
            alarmDescription,
            evaluationPeriods: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          });
          alarm.addAlarmAction(ACTION('arn:aws:sns:us-east-1:111111111111:pager'));
          alarm.addOkAction(ACTION('arn:aws:sns:us-east-1:111111111111:ok'));
          return alarm;
        });
        expect(ours).toEqual(cdks);
      },
    ), { numRuns: 40 });
  });

  test('is an alarm like any other: ARN, name, alarm rule, insufficient-data actions', () => {
    const stack = new Stack(new App(), 'Stack');
    const metric = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum' });
    const alarm = new FunctionAlarm(stack, 'Alarm', { metric, threshold: 1, alarmDescription: 'errors' });
    alarm.addInsufficientDataAction(ACTION('arn:aws:sns:us-east-1:111111111111:data'));
    expect(stack.resolve(alarm.alarmArn)).toEqual({ 'Fn::GetAtt': ['Alarm7103F465', 'Arn'] });
    expect(stack.resolve(alarm.alarmName)).toEqual({ Ref: 'Alarm7103F465' });
    expect(stack.resolve(alarm.renderAlarmRule())).toEqual({ 'Fn::Join': ['', ['ALARM("', { 'Fn::GetAtt': ['Alarm7103F465', 'Arn'] }, '")']] });
    expect(alarm.metric).toBe(metric);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { InsufficientDataActions: ['arn:aws:sns:us-east-1:111111111111:data'] });
  });

  test('a math expression or a metric of another account is a synth error that names the prop and the way out', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const errors = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors' });
    const expression = new cloudwatch.MathExpression({ expression: 'e * 2', usingMetrics: { e: errors } });
    expect(() => new FunctionAlarm(stack, 'Math', { metric: expression, threshold: 1, alarmDescription: 'x' }))
      .toThrow(/FunctionAlarm Stack\/Math: 'metric' must be one metric of the stack's account and region.*alarm on a math expression or another account with cloudwatch.Alarm/);
    const here = errors.with({ account: '111111111111', region: 'us-east-1' });
    expect(() => new FunctionAlarm(stack, 'Here', { metric: here, threshold: 1, alarmDescription: 'x' })).not.toThrow();
    const elsewhere = errors.with({ account: '222222222222' });
    expect(() => new FunctionAlarm(stack, 'Elsewhere', { metric: elsewhere, threshold: 1, alarmDescription: 'x' }))
      .toThrow(/'metric' must be one metric of the stack's account and region/);
  });
});
