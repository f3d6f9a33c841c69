import * as path from 'path';
import { App, CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BaselineKey, SecureFunction } from 'cdk-secure-function';

/** Where uploads land, and where the function writes its results. */
export const UPLOAD_PREFIX = 'uploads/';
export const RESULT_PREFIX = 'results/';

/** What the upload pipeline puts into a stack. */
export interface S3Pipeline {
  readonly fn: SecureFunction;
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly queue: sqs.Queue;
  readonly rule: events.Rule;
}

/**
 * Uploads to a bucket go, as EventBridge "Object Created" events, through a
 * rule to an SQS queue that a SecureFunction consumes: it reads each upload
 * and writes a result under another prefix, reporting failed records one by
 * one. Bucket and queues are encrypted with a key the app owns.
 */
export function addS3Pipeline(stack: Stack): S3Pipeline {
  const key = new BaselineKey(stack, 'PipelineKey', { description: 'Uploads, their events and their results', forFunctions: false });
  const { bucket, accessLogs } = uploadBuckets(stack, key);

  const timeout = Duration.seconds(30);
  const queueOptions: sqs.QueueProps = { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true };
  // One dead-letter queue for both failures: events EventBridge could not deliver, and messages the function kept failing on.
  const failed = new sqs.Queue(stack, 'UploadEventsFailed', { ...queueOptions, retentionPeriod: Duration.days(14) });
  const endOfTheLine = 'The dead-letter queue of the upload events (from EventBridge and from the queue): a redrive policy on it would need another queue without end.';
  Validations.of(failed).acknowledge(
    { id: 'Serverless::Serverless-SQSRedrivePolicy', reason: endOfTheLine },
    { id: 'cdk-validator-cfnguard::sqs_dlq_check', reason: endOfTheLine },
  );
  const queue = new sqs.Queue(stack, 'UploadEvents', {
    ...queueOptions,
    // Six times the function timeout: a message still being processed never becomes visible again.
    visibilityTimeout: Duration.seconds(6 * timeout.toSeconds()),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: failed, maxReceiveCount: 3 },
  });
  const rule = new events.Rule(stack, 'UploadCreated', {
    description: 'Object Created events of uploads, to the processing queue',
    eventPattern: {
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: { bucket: { name: [bucket.bucketName] }, object: { key: [{ prefix: UPLOAD_PREFIX }] } },
    },
    targets: [new targets.SqsQueue(queue, { deadLetterQueue: failed, retryAttempts: 3, maxEventAge: Duration.hours(2) })],
  });
  // CDK's grant to EventBridge on an encrypted queue names no rule (the key policy cannot, without a cycle): the queue policy can.
  queue.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'OnlyTheUploadRule',
    effect: iam.Effect.DENY,
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [queue.queueArn],
    conditions: { ArnNotEquals: { 'aws:SourceArn': rule.ruleArn } },
  }));

  const fn = new SecureFunction(stack, 'UploadProcessor', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'upload-processor')),
    description: 'Reads each upload and writes its result',
    timeout,
    environment: { UPLOAD_PREFIX, RESULT_PREFIX },
  });
  bucket.grantRead(fn, `${UPLOAD_PREFIX}*`);
  bucket.grantPut(fn, `${RESULT_PREFIX}*`);
  fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
  return { fn, bucket, accessLogs, queue, rule };
}

/**
 * The upload bucket (versioned, TLS-only, closed to the public, KMS-encrypted,
 * object events to EventBridge) and the bucket of its server access logs.
 */
function uploadBuckets(stack: Stack, key: BaselineKey): { bucket: s3.Bucket; accessLogs: s3.Bucket } {
  const hardened: s3.BucketProps = {
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    // Object Lock available (legal hold, retention per object), without a default retention.
    objectLockEnabled: true,
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
  };
  // S3 delivers server access logs only to buckets encrypted with S3-managed keys.
  const accessLogs = new s3.Bucket(stack, 'UploadAccessLogs', { ...hardened, encryption: s3.BucketEncryption.S3_MANAGED });
  const bucket = new s3.Bucket(stack, 'Uploads', {
    ...hardened,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
  });
  // Access logging by bucket policy for the logging service, not an ACL.
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: accessLogs.bucketName, logFilePrefix: 'uploads/' };
  accessLogs.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ServerAccessLogsOfTheUploadBucket',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [accessLogs.arnForObjects('uploads/*')],
    conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  // Object events to EventBridge, set on the buckets themselves: CDK's eventBridgeEnabled adds its notifications handler function.
  for (const each of [bucket, accessLogs]) {
    (each.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }
  acknowledgeBucketExceptions(bucket, accessLogs);
  return { bucket, accessLogs };
}

function acknowledgeBucketExceptions(bucket: s3.Bucket, accessLogs: s3.Bucket): void {
  const replication = 'Cross-region replication is an organisation decision (a destination bucket in another region, and its key); both buckets are versioned.';
  for (const each of [bucket, accessLogs]) {
    Validations.of(each).acknowledge(
      { id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled', reason: replication },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', reason: replication },
      { id: 'PCI.DSS.321::PCI.DSS.321-S3BucketReplicationEnabled', reason: replication },
    );
  }
  const s3Managed = 'S3 delivers server access logs only to buckets whose default encryption uses S3-managed keys (SSE-S3).';
  const logTarget = 'This bucket receives the upload bucket\'s server access logs; logging it too would need another bucket without end.';
  Validations.of(accessLogs).acknowledge(
    { id: 'HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS', reason: s3Managed },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS', reason: s3Managed },
    { id: 'PCI.DSS.321::PCI.DSS.321-S3DefaultEncryptionKMS', reason: s3Managed },
    { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason: s3Managed },
    { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: logTarget },
  );
  // checkov's access-logging check, skipped through checkov's own mechanism with the same reason.
  (accessLogs.node.defaultChild as CfnResource).addMetadata('checkov', { skip: [{ id: 'CKV_AWS_18', comment: logTarget }] });
}

/** The upload pipeline in a stack of its own. */
export function buildS3PipelineApp(app: App = new App()): { app: App; stack: Stack } & S3Pipeline {
  const stack = new Stack(app, 'UploadPipeline', { description: 'cdk-secure-function example: S3 uploads through EventBridge and SQS to a function' });
  return { app, stack, ...addS3Pipeline(stack) };
}

if (require.main === module) {
  buildS3PipelineApp().app.synth();
}
