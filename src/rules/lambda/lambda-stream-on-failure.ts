import { referencedIds } from '../../cfn/references';
import { resourcePropertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** A stream's event source mapping keeps the records it gives up on. */
export const streamOnFailure = resourcePropertyRule({
  id: 'lambda-stream-on-failure',
  title: 'Event source mappings of streams (Kinesis, DynamoDB, Kafka) send failed batches to an on-failure destination',
  severity: RuleSeverity.BLOCK,
  why: 'When a stream\'s records fail until they expire or run out of retries, Lambda drops them: the data is lost without a trace, and a poison record holds up its shard until then.',
  fix: 'Pass onFailure (an SqsDlq, SnsDlq or S3OnFailureDestination, encrypted) and retryAttempts to the event source (fn.addEventSource(new KinesisEventSource(stream, { onFailure, retryAttempts })) or lambda.EventSourceMapping), or set DestinationConfig.OnFailure.Destination; a queue source keeps its failures in the queue\'s redrive policy instead.',
  controls: {
    nist80053: ['SI-11', 'AU-5', 'CP-10'],
  },
}, 'AWS::Lambda::EventSourceMapping', {
  notes: [
    'Queues (no StartingPosition) are judged by their redrive policy, not here; a stream',
    'mapping passes with DestinationConfig.OnFailure.Destination set.',
  ],
  passWhen: [
    { kind: 'absent', path: 'StartingPosition' },
    { kind: 'intrinsic-object', path: 'DestinationConfig' },
    { kind: 'intrinsic-object', path: 'DestinationConfig.OnFailure' },
    { kind: 'non-empty', path: 'DestinationConfig.OnFailure.Destination' },
  ],
  problem: (properties) => {
    const source = typeof properties.EventSourceArn === 'string' ? properties.EventSourceArn : referencedIds(properties.EventSourceArn)[0] ?? 'its stream';
    return `the mapping of ${source} has no on-failure destination: records that fail until they expire are dropped`;
  },
});
