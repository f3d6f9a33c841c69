import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as config from 'aws-cdk-lib/aws-config';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureFunction } from '../../src';
import { fixesUnder } from '../../src/cfn/fix-notes';
import { StackIndex } from '../../src/cfn/stack-index';
import { DEFAULT_STREAM_RETRIES, sourceKind } from '../../src/integrations/event-sources';
import { findAcknowledgment } from '../../src/rules/acknowledgments';
import { conformanceRun } from '../support/conformance';
import { minimalProps, testOwned } from '../support/fixtures';
import { sourceQueue } from '../support/integrations';

function stackWithFunction(): { stack: Stack; fn: SecureFunction } {
  const stack = new Stack(new App(), 'Test');
  return { stack, fn: new SecureFunction(stack, 'Fn', minimalProps()) };
}

function mappingOf(fn: SecureFunction): lambda.CfnEventSourceMapping {
  return fn.node.findAll().find((c): c is lambda.CfnEventSourceMapping => c instanceof lambda.CfnEventSourceMapping)!;
}

function endpointServices(stack: Stack): string[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint')).map((r: any) => JSON.stringify(r.Properties.ServiceName));
}

describe('source kind of a mapping', () => {
  test.each([
    ['arn:aws:sqs:eu-west-1:111111111111:orders', 'sqs'],
    ['arn:aws:kinesis:eu-west-1:111111111111:stream/clicks', 'stream'],
    ['arn:aws:dynamodb:eu-west-1:111111111111:table/t/stream/2026-01-01T00:00:00.000', 'stream'],
    ['arn:aws-us-gov:kafka:us-gov-west-1:111111111111:cluster/c/0000', 'kafka'],
    ['arn:aws:mq:eu-west-1:111111111111:broker:b:b-1', 'mq'],
    ['arn:aws:docdb:eu-west-1:111111111111:cluster:c', 'other'],
    ['not-an-arn', 'other'],
  ])('a literal source ARN %s is read as %s', (arn, kind) => {
    const stack = new Stack(new App(), 'Test');
    const mapping = new lambda.CfnEventSourceMapping(stack, 'Mapping', { functionName: 'f', eventSourceArn: arn });
    expect(sourceKind(mapping)).toBe(kind);
  });

  test('a source of the stack is read the same through an index the caller keeps', () => {
    const stack = new Stack(new App(), 'Test');
    const streamMapping = new lambda.CfnEventSourceMapping(stack, 'Streamed', { functionName: 'f', eventSourceArn: new kinesis.Stream(stack, 'Stream').streamArn });
    const queueMapping = new lambda.CfnEventSourceMapping(stack, 'Queued', { functionName: 'f', eventSourceArn: new sqs.Queue(stack, 'Queue').queueArn });
    const index = StackIndex.build(stack);
    expect([sourceKind(streamMapping, index), sourceKind(queueMapping, index)]).toEqual(['stream', 'sqs']);
    expect([sourceKind(streamMapping), sourceKind(queueMapping)]).toEqual(['stream', 'sqs']);
  });
});

describe('SQS event sources', () => {
  test('report partial batch failures, and the destination rule is acknowledged with why', () => {
    const { stack, fn } = stackWithFunction();
    fn.addEventSource(new sources.SqsEventSource(sourceQueue(stack)));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const ack = findAcknowledgment('Serverless::Serverless-LambdaEventSourceMappingDestination', mappingOf(fn));
    expect(ack?.reason).toMatch(/no on-failure destination for SQS/);
  });

  test('what the source grants is for the poller: no SQS endpoint; a grant to the code still gets one', () => {
    const polled = stackWithFunction();
    polled.fn.addEventSource(new sources.SqsEventSource(sourceQueue(polled.stack)));
    expect(endpointServices(polled.stack).filter((s) => s.includes('.sqs'))).toEqual([]);
    const sending = stackWithFunction();
    sending.fn.addEventSource(new sources.SqsEventSource(sourceQueue(sending.stack)));
    sourceQueue(sending.stack, 'Outbox').grantSendMessages(sending.fn);
    expect(endpointServices(sending.stack).filter((s) => s.includes('.sqs'))).toHaveLength(1);
  });

  test('a source queue of the stack without a redrive policy gets one to a dead-letter queue beside it, encrypted like it, and the fix is reported', () => {
    const { stack, fn } = stackWithFunction();
    const key = new kms.Key(stack, 'QueueKey', { enableKeyRotation: true });
    const queue = new sqs.Queue(stack, 'Bare', { visibilityTimeout: Duration.minutes(3), encryptionMasterKey: key, enforceSSL: true });
    fn.addEventSource(new sources.SqsEventSource(queue));
    const template = Template.fromStack(stack);
    const dlqId = stack.resolve((stack.node.findChild('BareDeadLetterQueue').node.defaultChild as sqs.CfnQueue).logicalId);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(template.toJSON().Resources[dlqId].Properties).toEqual({
      KmsMasterKeyId: { 'Fn::GetAtt': [stack.resolve((key.node.defaultChild as kms.CfnKey).logicalId), 'Arn'] },
      MessageRetentionPeriod: 1209600,
      RedriveAllowPolicy: { redrivePermission: 'allowAll' },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
    expect(fixesUnder(stack)).toEqual([expect.objectContaining({ at: 'Test/Bare', control: 'SQS event source failure handling' })]);
  });

  test('an unencrypted FIFO source queue gets a FIFO dead-letter queue with SQS-managed encryption', () => {
    const { stack, fn } = stackWithFunction();
    fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Orders', { fifo: true, visibilityTimeout: Duration.minutes(3) })));
    const dlq = stack.node.findChild('OrdersDeadLetterQueue').node.defaultChild as sqs.CfnQueue;
    expect(Template.fromStack(stack).toJSON().Resources[stack.resolve(dlq.logicalId)].Properties).toEqual({
      FifoQueue: true, SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600, RedriveAllowPolicy: { redrivePermission: 'allowAll' },
    });
  });

  test('a visibility timeout under six times the function timeout is raised to it, and the fix is reported', () => {
    const { stack, fn } = stackWithFunction();
    const queue = sourceQueue(stack, 'Short', Duration.seconds(60));
    fn.addEventSource(new sources.SqsEventSource(queue));
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 180, RedrivePolicy: Match.anyValue() });
    expect(fixesUnder(stack).map((f) => f.change)).toEqual([expect.stringMatching(/raised the source queue's visibility timeout from 60 s to 180 s, 6 times the function timeout of 30 s/)]);
  });

  test('the batching window counts too', () => {
    const { stack, fn } = stackWithFunction();
    const queue = sourceQueue(stack, 'Batched', Duration.seconds(180));
    fn.addEventSource(new sources.SqsEventSource(queue, { maxBatchingWindow: Duration.seconds(20) }));
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 200, RedrivePolicy: Match.anyValue() });
    expect(fixesUnder(stack).map((f) => f.change)).toEqual([expect.stringMatching(/from 180 s to 200 s.* plus the batching window of 20 s/)]);
  });

  test('what the fix adds and changes passes every suite: the queue, its new dead-letter queue, the mapping', () => {
    const { findings, template } = conformanceRun({ recommendedFlags: true }, (stack) => {
      const fn = new SecureFunction(stack, 'Fn', minimalProps());
      const key = new kms.Key(testOwned(stack), 'QueueKey', { enableKeyRotation: true });
      fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Jobs', { encryptionMasterKey: key, enforceSSL: true })));
    });
    expect(findings).toEqual([]);
    Template.fromJSON(template).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 180, RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }) });
  });

  test('a queue that has what it needs is left as it was', () => {
    const { stack, fn } = stackWithFunction();
    fn.addEventSource(new sources.SqsEventSource(sourceQueue(stack)));
    expect(fixesUnder(stack)).toEqual([]);
  });

  test('an imported queue can be neither checked nor fixed: refused, naming the acknowledgment that says it has both', () => {
    const { stack, fn } = stackWithFunction();
    expect(() => fn.addEventSource(new sources.SqsEventSource(sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:111111111111:orders'))))
      .toThrow(/source queue is not a queue of this stack, so the library can neither check nor give it a redrive policy and a visibility timeout of at least 6 x the function timeout \(180 s\), got "arn:aws:sqs:eu-west-1:111111111111:orders". Fix: define the queue in this stack, or say it has both: Validations.of\(fn\).acknowledge\(\{ id: 'cdk-secure-function:sqs-source-unchecked'/);
    expect(fn.node.findAll().filter((c) => c instanceof lambda.CfnEventSourceMapping)).toEqual([]);
  });

  test('an imported queue its owner acknowledged is taken, the reason reported', () => {
    const { stack, fn } = stackWithFunction();
    Validations.of(fn).acknowledge({ id: 'cdk-secure-function:sqs-source-unchecked', reason: 'orders has a redrive policy to orders-dlq and a 180 s visibility timeout (platform queue module)' });
    fn.addEventSource(new sources.SqsEventSource(sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:111111111111:orders')));
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    Annotations.fromStack(stack).hasInfo('/Test/Fn', Match.stringLikeRegexp('not a queue of this stack; acknowledged at Test/Fn: orders has a redrive policy'));
  });
});

describe('stream event sources', () => {
  test('what only the poller needs on * (dynamodb:ListStreams) goes to the poller policy, not the function\'s own', () => {
    const { stack, fn } = stackWithFunction();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
    fn.addEventSource(new sources.DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('event-source pollers'),
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'dynamodb:ListStreams', Resource: '*' })] },
    });
    const own = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p: any) => p.Properties.Description === 'Execution role of SecureFunction Test/Fn') as any;
    expect(JSON.stringify(own.Properties.PolicyDocument)).not.toMatch(/"Resource":"\*"/);
  });

  test('dead-letter into the function queue, bisect, bounded retries', () => {
    const { stack, fn } = stackWithFunction();
    fn.addEventSource(new sources.KinesisEventSource(new kinesis.Stream(stack, 'Stream'), { startingPosition: lambda.StartingPosition.LATEST }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnDeadLetterQueue'), 'Arn'] } } },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: DEFAULT_STREAM_RETRIES,
    });
    expect(endpointServices(stack).filter((s) => s.includes('kinesis'))).toEqual([]);
  });

  test('what the user chose is kept; unbounded retries warn', () => {
    const { stack, fn } = stackWithFunction();
    const failures = sourceQueue(stack, 'Failures');
    fn.addEventSource(new sources.KinesisEventSource(new kinesis.Stream(stack, 'Stream'), {
      startingPosition: lambda.StartingPosition.LATEST, onFailure: new sources.SqsDlq(failures), retryAttempts: -1, bisectBatchOnError: false,
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: stack.resolve(failures.queueArn) } },
      BisectBatchOnFunctionError: false,
      MaximumRetryAttempts: -1,
    });
    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('retryAttempts -1 retries a failing batch'));
  });
});

describe('Kafka event sources', () => {
  test('MSK: the cluster\'s exact permissions and VPC discovery instead of AWSLambdaMSKExecutionRole, with an on-failure destination', () => {
    const { stack, fn } = stackWithFunction();
    const clusterArn = 'arn:aws:kafka:eu-west-1:111111111111:cluster/orders/abcd1234-ab12-cd34-ef56-abcdef123456-1';
    fn.addEventSource(new sources.ManagedKafkaEventSource({ clusterArn, topic: 'orders', startingPosition: lambda.StartingPosition.TRIM_HORIZON }));
    const template = Template.fromStack(stack);
    const role = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) => JSON.stringify(r).includes('Execution role of SecureFunction Test/Fn')) as any;
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).not.toMatch(/AWSLambdaMSKExecutionRole/);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('event-source pollers of SecureFunction Test/Fn'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'kafka:GetBootstrapBrokers', Resource: '*' }),
          Match.objectLike({ Action: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'], Resource: '*' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kafka:DescribeClusterV2', Resource: clusterArn })]) },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      BisectBatchOnFunctionError: Match.absent(),
    });
    expect(endpointServices(stack).filter((s) => s.includes('kafka'))).toEqual([]);
  });
});

describe('AWS managed policies CDK integrations attach', () => {
  test('a Config custom rule gets config:PutEvaluations instead of AWSConfigRulesExecutionRole, and the Config endpoint', () => {
    const { stack, fn } = stackWithFunction();
    new config.CustomRule(stack, 'Rule', { lambdaFunction: fn, configurationChanges: true, ruleScope: config.RuleScope.fromResources([config.ResourceType.S3_BUCKET]) });
    const template = Template.fromStack(stack);
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toMatch(/AWSConfigRulesExecutionRole/);
    // The rule's code reports: bound to the function, like the code's other grants.
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('^What the code of SecureFunction Test/Fn is granted'),
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'config:PutEvaluations',
          Resource: '*',
          Condition: { ArnEquals: { 'lambda:SourceFunctionArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^Fn'), 'Arn'] } } },
        })]),
      },
    });
    expect(endpointServices(stack).join()).toMatch(/\.config"/);
  });

  test('any other AWS managed policy is still refused', () => {
    const { fn } = stackWithFunction();
    expect(() => fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'))).toThrow(/must be customer-managed/);
  });
});
