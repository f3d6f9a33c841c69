import { App, CfnParameter, Duration, Stack, Stage, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FunctionWiring, MAX_STREAM_BATCHING_WINDOW_SECONDS, whenWiringKnown } from '../../src/observability/function-wiring';

const NOTHING_WIRED: FunctionWiring = { readsStream: false, longestBatchingWindowSeconds: 0, hasDestinations: false, stopsRecursiveLoops: true };

function plainFunction(scope: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'), ...props });
}

/**
 * What each synthesis of the app tells the watcher of `Fn`: the function is
 * watched first, and `wire` adds what it is given after, as apps do.
 */
function wiringOf(wire: (stack: Stack, fn: lambda.Function) => void, props: Partial<lambda.FunctionProps> = {}): FunctionWiring[] {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const fn = plainFunction(stack, 'Fn', props);
  const seen: FunctionWiring[] = [];
  whenWiringKnown(fn, fn, (wiring) => seen.push(wiring));
  wire(stack, fn);
  app.synth();
  return seen;
}

function stream(stack: Stack): kinesis.Stream {
  return new kinesis.Stream(stack, 'Stream');
}

function streamTable(stack: Stack): dynamodb.Table {
  return new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
}

describe('what is wired to a function, read when its stack synthesizes', () => {
  test('nothing: no stream, no destination, and Lambda stops recursive loops (its default); told once per synthesis', () => {
    expect(wiringOf(() => undefined)).toEqual([NOTHING_WIRED]);
  });

  test('an SQS source is neither a stream nor a destination', () => {
    expect(wiringOf((stack, fn) => fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Queue'))))).toEqual([NOTHING_WIRED]);
  });

  test('a Kinesis source added after the watch began is a stream; without an on-failure destination it delivers to none', () => {
    const [wiring] = wiringOf((stack, fn) => fn.addEventSource(new sources.KinesisEventSource(stream(stack), {
      startingPosition: lambda.StartingPosition.LATEST,
    })));
    expect(wiring).toEqual({ ...NOTHING_WIRED, readsStream: true });
  });

  test('the on-failure destination of a Kinesis source is a destination', () => {
    const [wiring] = wiringOf((stack, fn) => fn.addEventSource(new sources.KinesisEventSource(stream(stack), {
      startingPosition: lambda.StartingPosition.LATEST,
      onFailure: new sources.SqsDlq(new sqs.Queue(stack, 'Failed')),
    })));
    expect(wiring).toEqual({ ...NOTHING_WIRED, readsStream: true, hasDestinations: true });
  });

  test('a DynamoDB Streams source is a stream; the longest batching window of the stream sources, in seconds', () => {
    const [wiring] = wiringOf((stack, fn) => {
      const latest = lambda.StartingPosition.LATEST;
      fn.addEventSource(new sources.KinesisEventSource(stream(stack), { startingPosition: latest, maxBatchingWindow: Duration.seconds(10) }));
      fn.addEventSource(new sources.DynamoEventSource(streamTable(stack), { startingPosition: latest, maxBatchingWindow: Duration.minutes(2) }));
    });
    expect(wiring).toEqual({ ...NOTHING_WIRED, readsStream: true, longestBatchingWindowSeconds: 120 });
  });

  test('a batching window given as a token counts as the longest Lambda takes', () => {
    const [wiring] = wiringOf((stack, fn) => new lambda.CfnEventSourceMapping(stack, 'Mapping', {
      functionName: fn.functionName,
      eventSourceArn: stream(stack).streamArn,
      startingPosition: 'LATEST',
      maximumBatchingWindowInSeconds: Token.asNumber(new CfnParameter(stack, 'Window', { type: 'Number' })),
    }));
    expect(wiring.longestBatchingWindowSeconds).toBe(MAX_STREAM_BATCHING_WINDOW_SECONDS);
  });

  test('an Amazon DocumentDB change stream is a stream', () => {
    const [wiring] = wiringOf((stack, fn) => new lambda.CfnEventSourceMapping(stack, 'Mapping', {
      functionName: fn.functionName,
      eventSourceArn: 'arn:aws:rds:eu-west-1:111111111111:cluster:orders',
      startingPosition: 'LATEST',
      documentDbEventSourceConfig: { databaseName: 'orders', fullDocument: 'Default' },
    }));
    expect(wiring).toEqual({ ...NOTHING_WIRED, readsStream: true });
  });

  test('a Kafka source is not (it reports OffsetLag), and its on-failure destination is not one DestinationDeliveryFailures counts', () => {
    const [wiring] = wiringOf((stack, fn) => new lambda.CfnEventSourceMapping(stack, 'Mapping', {
      functionName: fn.functionName,
      selfManagedEventSource: { endpoints: { kafkaBootstrapServers: ['broker-1.example.com:9092'] } },
      topics: ['orders'],
      startingPosition: 'LATEST',
      destinationConfig: { onFailure: { destination: new sqs.Queue(stack, 'Failed').queueArn } },
    }));
    expect(wiring).toEqual(NOTHING_WIRED);
  });

  test.each([
    ['an on-failure destination', { onFailure: 'queue' }],
    ['an on-success destination', { onSuccess: 'queue' }],
  ])('asynchronous invocation with %s has destinations', (_, which) => {
    const [wiring] = wiringOf((stack, fn) => {
      const destination = new destinations.SqsDestination(new sqs.Queue(stack, 'Destination'));
      fn.configureAsyncInvoke('onFailure' in which ? { onFailure: destination } : { onSuccess: destination });
    });
    expect(wiring).toEqual({ ...NOTHING_WIRED, hasDestinations: true });
  });

  test('asynchronous invocation with retry settings only has none', () => {
    expect(wiringOf((_, fn) => fn.configureAsyncInvoke({ retryAttempts: 0 }))).toEqual([NOTHING_WIRED]);
  });

  test('what targets an alias of the function counts; what targets another function does not', () => {
    const [onAlias] = wiringOf((stack, fn) => {
      const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
      alias.addEventSource(new sources.KinesisEventSource(stream(stack), { startingPosition: lambda.StartingPosition.LATEST }));
      alias.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failed')) });
    });
    expect(onAlias).toEqual({ ...NOTHING_WIRED, readsStream: true, hasDestinations: true });
    const [elsewhere] = wiringOf((stack) => {
      const other = plainFunction(stack, 'Other');
      other.addEventSource(new sources.KinesisEventSource(stream(stack), { startingPosition: lambda.StartingPosition.LATEST }));
      other.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failed')) });
    });
    expect(elsewhere).toEqual(NOTHING_WIRED);
  });

  test('a function that allows recursive loops: Lambda stops none', () => {
    expect(wiringOf(() => undefined, { recursiveLoop: lambda.RecursiveLoop.ALLOW })).toEqual([{ ...NOTHING_WIRED, stopsRecursiveLoops: false }]);
  });

  test('an imported function is matched by how it is named', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const imported = lambda.Function.fromFunctionName(stack, 'Orders', 'orders');
    const seen: FunctionWiring[] = [];
    whenWiringKnown(imported, imported, (wiring) => seen.push(wiring));
    new lambda.EventSourceMapping(stack, 'Mapping', {
      target: imported, eventSourceArn: 'arn:aws:kinesis:eu-west-1:111111111111:stream/clicks', startingPosition: lambda.StartingPosition.LATEST,
    });
    app.synth();
    expect(seen).toEqual([{ ...NOTHING_WIRED, readsStream: true }]);
  });

  test('read again each time a Stage synthesizes', () => {
    const app = new App();
    const stage = new Stage(app, 'Stage');
    const stack = new Stack(stage, 'Test');
    const fn = plainFunction(stack, 'Fn');
    const seen: FunctionWiring[] = [];
    whenWiringKnown(fn, fn, (wiring) => seen.push(wiring));
    stage.synth();
    stage.synth({ force: true });
    expect(seen).toEqual([NOTHING_WIRED, NOTHING_WIRED]);
  });
});
