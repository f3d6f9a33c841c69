import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as config from 'aws-cdk-lib/aws-config';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureFunction } from '../../src';
import { DEFAULT_STREAM_RETRIES, sourceKind } from '../../src/integrations/event-sources';
import { findAcknowledgment } from '../../src/rules/acknowledgments';
import { minimalProps } from '../support/fixtures';
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

  test('a source queue without a redrive policy is an error naming the queue', () => {
    const { stack, fn } = stackWithFunction();
    const queue = new sqs.Queue(stack, 'Bare', { visibilityTimeout: Duration.minutes(3) });
    expect(() => fn.addEventSource(new sources.SqsEventSource(queue))).toThrow(/source queue Test\/Bare must have a redrive policy.*deadLetterQueue/);
  });

  test('a visibility timeout under six times the function timeout is an error with the number to set', () => {
    const { stack, fn } = stackWithFunction();
    const queue = sourceQueue(stack, 'Short', Duration.seconds(60));
    expect(() => fn.addEventSource(new sources.SqsEventSource(queue))).toThrow(/visibilityTimeout must be at least 6 times the function timeout of 30 s.*got 60 s.*Duration\.seconds\(180\)/);
  });

  test('the batching window counts too', () => {
    const { stack, fn } = stackWithFunction();
    const queue = sourceQueue(stack, 'Batched', Duration.seconds(180));
    expect(() => fn.addEventSource(new sources.SqsEventSource(queue, { maxBatchingWindow: Duration.seconds(20) })))
      .toThrow(/6 times the function timeout of 30 s plus the batching window of 20 s.*got 180 s.*Duration\.seconds\(200\)/);
  });

  test('an imported queue cannot be checked: a warning says what it needs', () => {
    const { stack, fn } = stackWithFunction();
    fn.addEventSource(new sources.SqsEventSource(sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:111111111111:orders')));
    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('not defined in this stack.*at least 6 x the function timeout'));
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
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Execution role of SecureFunction Test/Fn',
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'config:PutEvaluations', Resource: '*' })]) },
    });
    expect(endpointServices(stack).join()).toMatch(/\.config"/);
  });

  test('any other AWS managed policy is still refused', () => {
    const { fn } = stackWithFunction();
    expect(() => fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'))).toThrow(/must be customer-managed/);
  });
});
