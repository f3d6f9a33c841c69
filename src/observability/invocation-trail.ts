import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { auditBuckets } from './audit-buckets';
import { skipScannerChecks } from '../cfn/scanner-skips';
import { ManagedPolicyRole } from '../iam/managed-policy-role';

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

    const { bucket } = auditBuckets(this, { key: props.key, removalPolicy: props.removalPolicy, accessLogPrefix: 'invocation-trail/' });
    this.bucket = bucket;
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
    skipScannerChecks(this.trail, {
      checkov: [{
        id: 'CKV_AWS_67',
        reason: 'This trail records the data events of this stack\'s functions in their own region only (recordInvocations); the organisation trail, multi-region, records management events.',
      }],
    });
  }

  /** Records every invocation of `fn` (all its versions and aliases). */
  public record(fn: lambda.IFunction): void {
    this.functionArns.push(fn.functionArn);
  }
}
