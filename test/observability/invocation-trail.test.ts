import { Match, Template } from 'aws-cdk-lib/assertions';
import { SecureFunction } from '../../src';
import { minimalProps, newStack } from '../support/fixtures';

const KEY = { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] };

describe('recording invocations (CloudTrail data events)', () => {
  test('is off by default: no trail', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

  test('one trail per stack records the data events of exactly the functions that opt in', () => {
    const stack = newStack();
    new SecureFunction(stack, 'A', minimalProps({ recordInvocations: true }));
    new SecureFunction(stack, 'B', minimalProps({ recordInvocations: true }));
    new SecureFunction(stack, 'C', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsLogging: true,
      EnableLogFileValidation: true,
      IncludeGlobalServiceEvents: false,
      IsMultiRegionTrail: false,
      KMSKeyId: KEY,
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineInvocationTrailLogGroup'), 'Arn'] },
      EventSelectors: [{
        IncludeManagementEvents: false,
        ReadWriteType: 'All',
        DataResources: [{
          Type: 'AWS::Lambda::Function',
          Values: [
            { 'Fn::GetAtt': [Match.stringLikeRegexp('^AFunction'), 'Arn'] },
            { 'Fn::GetAtt': [Match.stringLikeRegexp('^BFunction'), 'Arn'] },
          ],
        }],
      }],
    });
  });

  test('its bucket is KMS-encrypted, versioned, TLS-only, private, access-logged, with Object Lock and a lifecycle', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ recordInvocations: true }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY }, BucketKeyEnabled: true }] },
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^SecureFunctionBaselineInvocationTrailAccessLogs') }, LogFilePrefix: 'invocation-trail/' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 365 } })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^SecureFunctionBaselineInvocationTrailBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Sid: 'CloudTrailWrite', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Condition: { StringEquals: Match.objectLike({ 's3:x-amz-acl': 'bucket-owner-full-control' }) } }),
        ]),
      },
    });
  });

  test('the key lets CloudTrail encrypt for this trail only; its log role writes only to its log group', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ recordInvocations: true }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'CloudTrailLogFilesOfThisTrail',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceArn': Match.anyValue() } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^SecureFunctionBaselineInvocationTrailLogsRole') }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineInvocationTrailLogGroup'), 'Arn'] },
        }],
      },
    });
  });
});
