import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FunctionAlarm } from './function-alarm';
import { invalidInput, show } from '../cfn/errors';

/**
 * Thresholds of a SecureFunction's alarms.
 */
export interface FunctionAlarmThresholds {
  /**
   * Errors in five minutes that raise the alarm.
   * @default 1
   */
  readonly errors?: number;

  /**
   * Throttled invocations in five minutes that raise the alarm.
   * @default 1
   */
  readonly throttles?: number;

  /**
   * The p99 duration, as a percentage of the timeout, that raises the alarm.
   * @default 80
   */
  readonly durationPercentOfTimeout?: number;

  /**
   * Concurrent executions, as a percentage of the reserved concurrency, that
   * raise the alarm.
   * @default 80
   */
  readonly concurrencyPercentOfReserved?: number;

  /**
   * Messages waiting in the dead-letter queue that raise the alarm.
   * @default 1
   */
  readonly deadLetterMessages?: number;
}

/**
 * Properties of FunctionAlarms.
 */
export interface FunctionAlarmsProps {
  /** The function watched (its metrics are for all its versions). */
  readonly function: lambda.IFunction;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Its timeout. */
  readonly timeout: Duration;
  /** Its reserved concurrency. */
  readonly reservedConcurrentExecutions: number;
  /** Where the alarms go. */
  readonly topic: sns.ITopic;
  /**
   * Thresholds.
   * @default - see FunctionAlarmThresholds
   */
  readonly thresholds?: FunctionAlarmThresholds;
}

const PERIOD = Duration.minutes(5);

/**
 * The alarms people otherwise hand-build for a Lambda function: errors,
 * throttles, p99 duration near the timeout, concurrency near the reservation,
 * and dead letters waiting. Five at most, one evaluation period of five
 * minutes each, and missing data is not breaching: an idle function pages no one.
 */
export class FunctionAlarms extends Construct {
  /** Errors in five minutes. */
  public readonly errors: FunctionAlarm;
  /** Throttled invocations in five minutes. */
  public readonly throttles: FunctionAlarm;
  /** p99 duration near the timeout (absent when the timeout is a token). */
  public readonly duration?: FunctionAlarm;
  /** Concurrent executions near the reserved concurrency (absent when it is a token). */
  public readonly concurrency?: FunctionAlarm;
  /** Messages waiting in the dead-letter queue. */
  public readonly deadLetters: FunctionAlarm;

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    const t = props.thresholds ?? {};
    const where = `SecureFunction ${scope.node.path}:`;
    const fn = props.function;
    const path = scope.node.path;

    this.errors = this.alarm('Errors', fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), count(where, 'errors', t.errors, 1),
      `${path} reported errors. Check its log group and traces; failed asynchronous events are in its dead-letter queue.`);
    this.throttles = this.alarm('Throttles', fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), count(where, 'throttles', t.throttles, 1),
      `${path} was throttled: it reached its reserved concurrency. Raise reservedConcurrentExecutions if the load is expected.`);

    const durationPercent = percent(where, 'durationPercentOfTimeout', t.durationPercentOfTimeout);
    if (props.timeout.isUnresolved()) {
      Annotations.of(scope).addWarningV2('cdk-secure-function:no-duration-alarm',
        'timeout is a token, so no duration alarm threshold can be computed; alarm on metricDuration() yourself.');
    } else {
      this.duration = this.alarm('Duration', fn.metricDuration({ period: PERIOD, statistic: 'p99' }),
        Math.floor(props.timeout.toMilliseconds() * durationPercent / 100),
        `The p99 duration of ${path} reached ${durationPercent}% of its timeout: invocations are about to time out.`);
    }

    const concurrencyPercent = percent(where, 'concurrencyPercentOfReserved', t.concurrencyPercentOfReserved);
    if (Token.isUnresolved(props.reservedConcurrentExecutions)) {
      Annotations.of(scope).addWarningV2('cdk-secure-function:no-concurrency-alarm',
        'reservedConcurrentExecutions is a token, so no concurrency alarm threshold can be computed; alarm on metricConcurrentExecutions() yourself.');
    } else {
      this.concurrency = this.alarm('Concurrency', fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: 'Maximum' }),
        Math.max(1, Math.ceil(props.reservedConcurrentExecutions * concurrencyPercent / 100)),
        `Concurrent executions of ${path} reached ${concurrencyPercent}% of its reserved concurrency (${props.reservedConcurrentExecutions}): throttling is near.`);
    }

    this.deadLetters = this.alarm('DeadLetters', props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      count(where, 'deadLetterMessages', t.deadLetterMessages, 1),
      `Failed asynchronous events of ${path} are waiting in its dead-letter queue. Inspect and redrive them.`);

    for (const alarm of this.all) {
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
    }
  }

  /** Every alarm of the function. */
  public get all(): FunctionAlarm[] {
    return [this.errors, this.throttles, this.duration, this.concurrency, this.deadLetters].filter((a): a is FunctionAlarm => a !== undefined);
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, alarmDescription: string): FunctionAlarm {
    return new FunctionAlarm(this, id, { metric, threshold, alarmDescription });
  }
}

function count(where: string, prop: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < 1)) {
    throw invalidInput(`${where} 'alarmThresholds.${prop}'`, 'must be a whole number of at least 1 (an alarm at 0 would always fire)', show(value), 'e.g. 1');
  }
  return value;
}

function percent(where: string, prop: string, value: number | undefined): number {
  if (value === undefined) {
    return 80;
  }
  if (Token.isUnresolved(value) || !Number.isFinite(value) || value <= 0 || value > 100) {
    throw invalidInput(`${where} 'alarmThresholds.${prop}'`, 'must be a percentage above 0 and at most 100', show(value), 'e.g. 80');
  }
  return value;
}
