import { Validations } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { streamOnFailure } from '../../../src/rules/lambda/lambda-stream-on-failure';
import { parameterOrNone } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/orders';
const l2 = (stack: import('aws-cdk-lib').Stack) => new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });

ruleTable(streamOnFailure, [
  {
    name: 'compliant: a stream mapping with an on-failure queue',
    build: (stack) => ({
      fn: new lambda.CfnEventSourceMapping(stack, 'Mapping', {
        functionName: 'fn',
        eventSourceArn: STREAM,
        startingPosition: 'LATEST',
        destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:failed' } },
      }),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'compliant: a queue mapping (failures stay in the queue and its redrive policy)',
    build: (stack) => {
      const mapping = new lambda.EventSourceMapping(stack, 'Mapping', { target: l2(stack), eventSourceArn: new sqs.Queue(stack, 'Queue', { enforceSSL: true }).queueArn });
      return { fn: mapping.node.defaultChild as lambda.CfnEventSourceMapping, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: a mapping built directly on a Kinesis stream, on the mapping',
    build: (stack) => {
      const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED });
      const mapping = new lambda.EventSourceMapping(stack, 'Mapping', { target: l2(stack), eventSourceArn: stream.streamArn, startingPosition: lambda.StartingPosition.LATEST });
      const cfn = mapping.node.defaultChild as lambda.CfnEventSourceMapping;
      return { fn: cfn, check: [{ on: cfn, problem: `the mapping of ${stack.resolve((stream.node.defaultChild as kinesis.CfnStream).logicalId)} has no on-failure destination: records that fail until they expire are dropped` }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('Mapping').node.defaultChild as lambda.CfnEventSourceMapping).logicalId)],
  },
  {
    name: 'non-compliant: a KinesisEventSource without onFailure',
    build: (stack) => {
      const fn = l2(stack);
      fn.addEventSource(new sources.KinesisEventSource(new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED }), { startingPosition: lambda.StartingPosition.TRIM_HORIZON }));
      const cfn = fn.node.findAll().find((c) => (c as lambda.CfnEventSourceMapping).cfnResourceType === 'AWS::Lambda::EventSourceMapping')!;
      return { fn: cfn, check: [{ on: cfn, problem: /has no on-failure destination/ }] };
    },
  },
  {
    name: 'unresolved: a destination chosen by a condition',
    build: (stack) => ({
      fn: new lambda.CfnEventSourceMapping(stack, 'Mapping', {
        functionName: 'fn', eventSourceArn: STREAM, startingPosition: 'LATEST', destinationConfig: { onFailure: { destination: parameterOrNone(stack, 'Failed') } },
      }),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const mapping = new lambda.CfnEventSourceMapping(stack, 'Mapping', { functionName: 'fn', eventSourceArn: STREAM, startingPosition: 'LATEST' });
      Validations.of(mapping).acknowledge({ id: streamOnFailure.id, reason: 'metrics stream: a lost record is replaced by the next one' });
      return { fn: mapping, check: [{ on: mapping, problem: `the mapping of ${STREAM} has no on-failure destination: records that fail until they expire are dropped` }] };
    },
    reported: false,
  },
]);
