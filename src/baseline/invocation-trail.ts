import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../private/managed-policy-role';

/**
 * Properties of an InvocationTrail.
 */
export interface InvocationTrailProps {
  /** The key of the trail, its bucket and its log group. */
  readonly key: kms.IKey;
  /** What happens to the buckets and log group when they leave the stack. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A CloudTrail trail that records the invocations (Lambda data events) of the
 * functions that opt in, and nothing else: no management events (the account's
 * own trail has those). Its log files are encrypted with the stack key and
 * validated; its bucket is versioned, TLS-only, closed to the public and
 * access-logged; its events also go to an encrypted CloudWatch log group
 * through a role whose only permission is writing there.
 */
export class InvocationTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.CfnTrail;
  /** Where the trail writes its log files. */
  public readonly bucket: s3.Bucket;
  private readonly functionArns: string[] = [];

  constructor(scope: Construct, id: string, props: InvocationTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const trailName = `${stack.stackName}-invocations`.slice(0, 128);
    const trailArn = `arn:${stack.partition}:cloudtrail:${stack.region}:${stack.account}:trail/${trailName}`;

    const hardened: s3.BucketProps = {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // Object Lock on, without a default retention: audit files can be locked
      // (legal hold, retention per object) and the bucket stays deletable.
      objectLockEnabled: true,
      lifecycleRules: [{
        id: 'ArchiveThenExpireOldVersions',
        transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }],
        noncurrentVersionExpiration: Duration.days(365),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
      removalPolicy: props.removalPolicy,
    };
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...hardened,
      // S3 delivers server access logs only to buckets encrypted with S3-managed keys.
      encryption: s3.BucketEncryption.S3_MANAGED,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...hardened,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
    });
    // Access logging wired by hand, with a bucket policy for the logging service
    // (CDK would use an ACL instead unless a feature flag is set).
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: accessLogs.bucketName,
      logFilePrefix: 'invocation-trail/',
    };
    accessLogs.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ServerAccessLogsOfTheTrailBucket',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [accessLogs.arnForObjects('invocation-trail/*')],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }));
    for (const bucket of [accessLogs, this.bucket]) {
      // Object events to EventBridge (free), set on the bucket itself: CDK's
      // eventBridgeEnabled would add its notifications handler function.
      (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': trailArn } };
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailAclCheck',
      principals: [cloudTrail],
      actions: ['s3:GetBucketAcl'],
      resources: [this.bucket.bucketArn],
      conditions: fromThisTrail,
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailWrite',
      principals: [cloudTrail],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }));
    props.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailLogFilesOfThisTrail',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: fromThisTrail,
    }), true);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: props.key,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy,
    });
    const logsRole = new ManagedPolicyRole(this, 'LogsRole', {
      assumedBy: cloudTrail,
      description: `CloudTrail delivery of ${trailName} to its log group`,
    });
    logsRole.policy.addStatements(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroup.logGroupArn}`],
    }));

    this.trail = new cloudtrail.CfnTrail(this, 'Trail', {
      trailName,
      isLogging: true,
      s3BucketName: this.bucket.bucketName,
      kmsKeyId: props.key.keyArn,
      enableLogFileValidation: true,
      includeGlobalServiceEvents: false,
      isMultiRegionTrail: false,
      cloudWatchLogsLogGroupArn: logGroup.logGroupArn,
      cloudWatchLogsRoleArn: logsRole.roleArn,
      eventSelectors: [{
        includeManagementEvents: false,
        readWriteType: 'All',
        dataResources: [{
          type: 'AWS::Lambda::Function',
          values: Lazy.list({ produce: () => this.functionArns }),
        }],
      }],
    });
    this.trail.node.addDependency(this.bucket.policy!, logsRole.policy);
    this.acknowledgeExceptions(accessLogs);
  }

  /** Records every invocation of `fn` (all its versions and aliases). */
  public record(fn: lambda.IFunction): void {
    this.functionArns.push(fn.functionArn);
  }

  private acknowledgeExceptions(accessLogs: s3.Bucket): void {
    const replication = 'Cross-region replication of audit logs is an organisation decision (a destination bucket in another region, and its own key); the trail bucket is versioned and retained, and the account trail is the organisation-wide copy.';
    for (const bucket of [this.bucket, accessLogs]) {
      Validations.of(bucket).acknowledge(
        { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', reason: replication },
        { id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled', reason: replication },
        { id: 'PCI.DSS.321::PCI.DSS.321-S3BucketReplicationEnabled', reason: replication },
      );
    }
    const accessLogTarget = 'This bucket receives the server access logs of the trail bucket; logging it too would need another bucket without end.';
    const s3Managed = 'S3 delivers server access logs only to buckets whose default encryption uses S3-managed keys (SSE-S3).';
    Validations.of(accessLogs).acknowledge(
      { id: 'NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS', reason: s3Managed },
      { id: 'HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS', reason: s3Managed },
      { id: 'PCI.DSS.321::PCI.DSS.321-S3DefaultEncryptionKMS', reason: s3Managed },
      { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: accessLogTarget },
      { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason: s3Managed },
    );
  }
}
