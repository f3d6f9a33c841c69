import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FunctionAlarm } from './function-alarm';
import { FunctionWiring, whenWiringKnown } from './function-wiring';
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

  /**
   * Failed asynchronous events Lambda could not send to the dead-letter queue
   * in five minutes (`DeadLetterErrors`) that raise the alarm.
   * @default 1
   */
  readonly deadLetterErrors?: number;

  /**
   * Events Lambda could not deliver to a destination in five minutes
   * (`DestinationDeliveryFailures`) that raise the alarm. The alarm exists
   * where the function has destinations: asynchronous invocation's, or the
   * on-failure destination of a Kinesis or DynamoDB Streams source.
   * @default 1
   */
  readonly destinationDeliveryFailures?: number;

  /**
   * How long the last record of a batch may have waited in its stream before
   * the function got it (`IteratorAge`, maximum in five minutes) before the
   * alarm is raised. The alarm exists where a Kinesis, DynamoDB Streams or
   * Amazon DocumentDB source reads for the function.
   * @default - one minute more than the longest batching window of those sources
   */
  readonly iteratorAge?: Duration;

  /**
   * Invocations Lambda dropped in five minutes because it found the function
   * in a recursive loop (`RecursiveInvocationsDropped`) that raise the alarm.
   * The alarm exists unless the function allows recursive loops
   * (`RecursiveLoop: Allow`), where Lambda reports none.
   * @default 1
   */
  readonly recursiveInvocationsDropped?: number;
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
 * dead letters waiting and dead letters lost; and, decided when the app
 * synthesizes (event sources and destinations are often added later), those
 * only some functions report: recursive invocations dropped (unless the function
 * allows recursive loops), destination delivery failures (where it has
 * destinations) and the iterator age of its stream sources. One evaluation
 * period of five minutes each, and missing data is not breaching: an idle
 * function pages no one.
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
  /** Failed asynchronous events Lambda could not send to the dead-letter queue (lost). */
  public readonly deadLetterErrors: FunctionAlarm;

  private readonly topic: sns.ITopic;
  private readonly alarms: FunctionAlarm[] = [];
  private _recursiveInvocationsDropped?: FunctionAlarm;
  private _destinationDeliveryFailures?: FunctionAlarm;
  private _iteratorAge?: FunctionAlarm;

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    this.topic = props.topic;
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
    this.deadLetterErrors = this.alarm('DeadLetterErrors', fn.metric('DeadLetterErrors', { period: PERIOD, statistic: 'Sum' }),
      count(where, 'deadLetterErrors', t.deadLetterErrors, 1),
      `Lambda could not send failed asynchronous events of ${path} to its dead-letter queue: they are lost. Check the queue's policy and key, and the size of the events.`);

    // Checked now, used when the app synthesizes.
    const wired: WiredThresholds = {
      recursions: count(where, 'recursiveInvocationsDropped', t.recursiveInvocationsDropped, 1),
      deliveryFailures: count(where, 'destinationDeliveryFailures', t.destinationDeliveryFailures, 1),
      iteratorAgeMs: age(where, 'iteratorAge', t.iteratorAge),
    };
    whenWiringKnown(this, fn, (wiring) => this.addWiredAlarms(fn, path, wiring, wired));
  }

  /**
   * Invocations Lambda dropped in a recursive loop. Made when the app
   * synthesizes, unless the function allows recursive loops (Lambda then reports none).
   */
  public get recursiveInvocationsDropped(): FunctionAlarm | undefined {
    return this._recursiveInvocationsDropped;
  }

  /**
   * Events Lambda could not deliver to a destination (lost). Made when the app
   * synthesizes, where the function has destinations.
   */
  public get destinationDeliveryFailures(): FunctionAlarm | undefined {
    return this._destinationDeliveryFailures;
  }

  /**
   * The function falls behind a stream it reads. Made when the app
   * synthesizes, where a Kinesis, DynamoDB Streams or Amazon DocumentDB source
   * reads for it.
   */
  public get iteratorAge(): FunctionAlarm | undefined {
    return this._iteratorAge;
  }

  /** Every alarm of the function; the ones decided at synthesis join this list when they are made. */
  public get all(): FunctionAlarm[] {
    return this.alarms;
  }

  /** The alarms the function's wiring calls for, each made once (a Stage may synthesize twice). */
  private addWiredAlarms(fn: lambda.IFunction, path: string, wiring: FunctionWiring, thresholds: WiredThresholds): void {
    if (wiring.stopsRecursiveLoops) {
      this._recursiveInvocationsDropped ??= this.alarm('RecursiveInvocationsDropped',
        fn.metric('RecursiveInvocationsDropped', { period: PERIOD, statistic: 'Sum' }), thresholds.recursions,
        `Lambda stopped invocations of ${path}: it found the function in a recursive loop (its output invoking it again through another service). Find and break the loop.`);
    }
    if (wiring.hasDestinations) {
      this._destinationDeliveryFailures ??= this.alarm('DestinationDeliveryFailures',
        fn.metric('DestinationDeliveryFailures', { period: PERIOD, statistic: 'Sum' }), thresholds.deliveryFailures,
        `Lambda could not deliver events of ${path} to a destination (asynchronous invocation, or the on-failure destination of a stream source): they are lost. Check the destination's policy and key.`);
    }
    if (wiring.readsStream) {
      const threshold = thresholds.iteratorAgeMs ?? (wiring.longestBatchingWindowSeconds + 60) * 1000;
      this._iteratorAge ??= this.alarm('IteratorAge', fn.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }), threshold,
        `${path} is falling behind a stream it reads: a record waited ${Duration.millis(threshold).toHumanString()} or more before the function got it. `
        + 'Check its errors, throttles and duration: a failing batch holds its shard until its retries run out.');
    }
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, alarmDescription: string): FunctionAlarm {
    const alarm = new FunctionAlarm(this, id, { metric, threshold, alarmDescription });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

/** The thresholds of the alarms decided at synthesis, checked in the constructor. */
interface WiredThresholds {
  readonly recursions: number;
  readonly deliveryFailures: number;
  /** Undefined: one minute beyond the longest batching window. */
  readonly iteratorAgeMs?: number;
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

function age(where: string, prop: string, value: Duration | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = value.isUnresolved() ? NaN : value.toMilliseconds({ integral: false });
  if (!(ms > 0)) {
    throw invalidInput(`${where} 'alarmThresholds.${prop}'`, 'must be a duration above 0 known at synthesis (an alarm at 0 would always fire)',
      value.isUnresolved() ? value.toString() : value.toHumanString(), 'e.g. Duration.minutes(5)');
  }
  return ms;
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
