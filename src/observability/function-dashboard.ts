import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Properties of a FunctionDashboard.
 */
export interface FunctionDashboardProps {
  /** The function shown. */
  readonly function: lambda.IFunction;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Its alarms, shown as an alarm status widget. */
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * A CloudWatch dashboard for one function: invocations and errors, duration
 * percentiles, throttles and concurrency, dead letters, and its alarms.
 */
export class FunctionDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: FunctionDashboardProps) {
    super(scope, id);
    const fn = props.function;
    const period = Duration.minutes(1);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Invocations and errors',
            left: [fn.metricInvocations({ period, statistic: 'Sum' }), fn.metricErrors({ period, statistic: 'Sum' })],
          }),
          new cloudwatch.GraphWidget({
            title: 'Duration (p50, p99, max)',
            left: ['p50', 'p99', 'Maximum'].map((statistic) => fn.metricDuration({ period, statistic })),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Throttles and concurrency',
            left: [fn.metricThrottles({ period, statistic: 'Sum' })],
            right: [fn.metric('ConcurrentExecutions', { period, statistic: 'Maximum' })],
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead letters waiting',
            left: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' })],
          }),
        ],
        ...(props.alarms.length > 0 ? [[new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24 })]] : []),
      ],
    });
  }
}
