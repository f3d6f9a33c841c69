import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Judged } from '../support/access-model/model-harness';

const ROLE = 'AWS::IAM::Role';

function fnIn(stack: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

function newStack(): Stack {
  return new Stack(new App(), 'Test');
}

const allowed = (decisions: string[]) => decisions.every((d) => d.endsWith(': Allowed'));

describe('event source mappings: the function\'s role does what Lambda\'s poller does', () => {
  test('an SQS source encrypted with a template key: receive, delete, attributes and the key through SQS are allowed; another queue is not', async () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Source', { encryptionMasterKey: new kms.Key(stack, 'Key') });
    fnIn(stack).addEventSource(new sources.SqsEventSource(queue));
    const judged = Judged.of(stack);
    const queueArn = judged.getAtt('AWS::SQS::Queue', 'Source', 'Arn');
    const keyArn = judged.getAtt('AWS::KMS::Key', 'Key', 'Arn');
    const paths = judged.intended(/^Lambda (polls|decrypts) the/);
    expect(await judged.decisions(paths)).toEqual([
      `sqs:ReceiveMessage ${queueArn}: Allowed`, `sqs:DeleteMessage ${queueArn}: Allowed`, `sqs:GetQueueAttributes ${queueArn}: Allowed`, `kms:Decrypt ${keyArn}: Allowed`,
    ]);
    expect(await judged.decide({ ...paths[0].request, resource: queueArn.replace(/[^:]+$/, 'another-queue') })).toBe('ImplicitlyDenied');
  });

  test('a Kinesis source with an on-failure queue: the stream\'s reads and the send to the queue are allowed; another stream is not', async () => {
    const stack = newStack();
    const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS });
    const onFailure = new sqs.Queue(stack, 'Failed');
    fnIn(stack).addEventSource(new sources.KinesisEventSource(stream, {
      startingPosition: lambda.StartingPosition.LATEST,
      onFailure: new sources.SqsDlq(onFailure),
    }));
    const judged = Judged.of(stack);
    const streamArn = judged.getAtt('AWS::Kinesis::Stream', 'Stream', 'Arn');
    const decisions = await judged.decisions(judged.intended(/^Lambda (polls|decrypts|sends failed)/));
    expect(decisions).toEqual(expect.arrayContaining([
      `kinesis:GetRecords ${streamArn}: Allowed`, `kinesis:ListShards ${streamArn}: Allowed`,
      `kms:Decrypt ${judged.getAtt('AWS::KMS::Key', 'StreamKey', 'Arn')}: Allowed`, `sqs:SendMessage ${judged.getAtt('AWS::SQS::Queue', 'Failed', 'Arn')}: Allowed`,
    ]));
    expect(decisions).toHaveLength(7);
    expect(allowed(decisions)).toBe(true);
    const role = judged.getAtt(ROLE, 'FnServiceRole', 'Arn');
    expect(await judged.decide({ principal: role, action: 'kinesis:GetRecords', resource: `${streamArn}-other` })).toBe('ImplicitlyDenied');
  });

  test('a DynamoDB stream: the stream\'s reads on the stream ARN and ListStreams on * are allowed; the table itself is not read', async () => {
    const stack = newStack();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
    fnIn(stack).addEventSource(new sources.DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST }));
    const judged = Judged.of(stack);
    const streamArn = judged.getAtt('AWS::DynamoDB::Table', 'Table', 'StreamArn');
    expect(await judged.decisions(judged.intended(/^Lambda (polls|lists) the/))).toEqual([
      `dynamodb:GetRecords ${streamArn}: Allowed`, `dynamodb:GetShardIterator ${streamArn}: Allowed`, `dynamodb:DescribeStream ${streamArn}: Allowed`, 'dynamodb:ListStreams *: Allowed',
    ]);
    const role = judged.getAtt(ROLE, 'FnServiceRole', 'Arn');
    expect(await judged.decide({ principal: role, action: 'dynamodb:GetItem', resource: judged.getAtt('AWS::DynamoDB::Table', 'Table', 'Arn') })).toBe('ImplicitlyDenied');
  });

  test('a self-managed Kafka source: its SASL secret is read; a secret it was not given is not', async () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Credentials');
    new secretsmanager.Secret(stack, 'Other');
    fnIn(stack).addEventSource(new sources.SelfManagedKafkaEventSource({
      bootstrapServers: ['kafka-1.internal:9096'], topic: 'orders', secret, startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    }));
    const judged = Judged.of(stack);
    const paths = judged.intended(/^Lambda reads the SASL_SCRAM_512_AUTH secret/);
    expect(await judged.decisions(paths)).toEqual([`secretsmanager:GetSecretValue ${judged.ref('AWS::SecretsManager::Secret', 'Credentials')}: Allowed`]);
    expect(await judged.decide({ ...paths[0].request, resource: judged.ref('AWS::SecretsManager::Secret', 'Other') })).toBe('ImplicitlyDenied');
  });

  test('an MSK source: DescribeClusterV2 on the cluster and GetBootstrapBrokers on * are allowed; GetBootstrapBrokers (no resource type) on the cluster is not', async () => {
    const build = (brokersResource: string) => {
      const stack = newStack();
      const clusterArn = 'arn:aws:kafka:us-east-1:111111111111:cluster/orders/abcd1234-ab12-cd34-ef56-abcdef123456-1';
      const fn = fnIn(stack);
      new lambda.EventSourceMapping(stack, 'Orders', { target: fn, eventSourceArn: clusterArn, kafkaTopic: 'orders', startingPosition: lambda.StartingPosition.TRIM_HORIZON });
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kafka:DescribeClusterV2'], resources: [clusterArn] }));
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: [brokersResource === 'cluster' ? clusterArn : '*'] }));
      const judged = Judged.of(stack);
      return { clusterArn, judged, paths: judged.intended(/^Lambda (polls|lists) the kafka source/) };
    };
    const wildcard = build('*');
    expect(await wildcard.judged.decisions(wildcard.paths)).toEqual([`kafka:DescribeClusterV2 ${wildcard.clusterArn}: Allowed`, 'kafka:GetBootstrapBrokers *: Allowed']);
    const onCluster = build('cluster');
    expect(await onCluster.judged.decisions(onCluster.paths)).toEqual([`kafka:DescribeClusterV2 ${onCluster.clusterArn}: Allowed`, 'kafka:GetBootstrapBrokers *: ImplicitlyDenied']);
  });
});
