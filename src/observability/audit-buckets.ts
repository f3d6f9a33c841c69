import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { skipScannerChecks } from '../cfn/scanner-skips';

/** Properties of an audit bucket pair. */
export interface AuditBucketsProps {
  /** The key of the audit bucket. */
  readonly key: kms.IKey;
  /** What happens to the buckets when they leave the stack. */
  readonly removalPolicy: RemovalPolicy;
  /** The prefix of the audit bucket's server access logs in the access-log bucket. */
  readonly accessLogPrefix: string;
}

/** An audit bucket and the bucket of its server access logs. */
export interface AuditBuckets {
  /** Where the audit records go (KMS-encrypted). */
  readonly bucket: s3.Bucket;
  /** Where S3 delivers the server access logs of `bucket` (SSE-S3: S3 requires it). */
  readonly accessLogs: s3.Bucket;
}

/**
 * A bucket for audit records (`Bucket` in `scope`) and the bucket that receives
 * its server access logs (`AccessLogs`): both versioned, TLS-only, closed to the
 * public, owner-enforced, with Object Lock available, a lifecycle and EventBridge
 * notifications; the audit bucket encrypted with `key`. The exceptions the
 * compliance packs raise on such a pair are acknowledged with their reasons.
 */
export function auditBuckets(scope: Construct, props: AuditBucketsProps): AuditBuckets {
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
  const accessLogs = new s3.Bucket(scope, 'AccessLogs', {
    ...hardened,
    // S3 delivers server access logs only to buckets encrypted with S3-managed keys.
    encryption: s3.BucketEncryption.S3_MANAGED,
  });
  const bucket = new s3.Bucket(scope, 'Bucket', {
    ...hardened,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.key,
    bucketKeyEnabled: true,
  });
  // Access logging wired by hand, with a bucket policy for the logging service
  // (CDK would use an ACL instead unless a feature flag is set).
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: accessLogs.bucketName,
    logFilePrefix: props.accessLogPrefix,
  };
  accessLogs.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ServerAccessLogsOfTheAuditBucket',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [accessLogs.arnForObjects(`${props.accessLogPrefix}*`)],
    conditions: {
      ArnLike: { 'aws:SourceArn': bucket.bucketArn },
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    },
  }));
  for (const each of [accessLogs, bucket]) {
    // Object events to EventBridge (free), set on the bucket itself: CDK's
    // eventBridgeEnabled would add its notifications handler function.
    (each.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }
  acknowledgeExceptions(bucket, accessLogs);
  return { bucket, accessLogs };
}

function acknowledgeExceptions(bucket: s3.Bucket, accessLogs: s3.Bucket): void {
  const replication = 'Cross-region replication of audit logs is an organisation decision (a destination bucket in another region, and its own key); the bucket is versioned and retained.';
  for (const each of [bucket, accessLogs]) {
    Validations.of(each).acknowledge(
      { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', reason: replication },
      { id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled', reason: replication },
      { id: 'PCI.DSS.321::PCI.DSS.321-S3BucketReplicationEnabled', reason: replication },
    );
  }
  const accessLogTarget = 'This bucket receives the server access logs of the audit bucket; logging it too would need another bucket without end.';
  const s3Managed = 'S3 delivers server access logs only to buckets whose default encryption uses S3-managed keys (SSE-S3).';
  Validations.of(accessLogs).acknowledge(
    { id: 'NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS', reason: s3Managed },
    { id: 'HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS', reason: s3Managed },
    { id: 'PCI.DSS.321::PCI.DSS.321-S3DefaultEncryptionKMS', reason: s3Managed },
    { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: accessLogTarget },
    { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason: s3Managed },
  );
  skipScannerChecks(accessLogs, { checkov: [{ id: 'CKV_AWS_18', reason: accessLogTarget }] });
}
