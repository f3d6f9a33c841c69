import { Match, Template } from 'aws-cdk-lib/assertions';
import { addS3Pipeline, buildS3PipelineApp } from '../../examples/s3-pipeline';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { conformanceRun } from '../support/conformance';


describe('examples/s3-pipeline.ts', () => {
  test('the bucket sends its object events to EventBridge itself: no notifications handler function', () => {
    const { stack, bucket } = buildS3PipelineApp();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^UploadAccessLogs') } },
    });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    // SecureFunction's own function and the library's (signer, prefix lists, default-security-group closer): no BucketNotificationsHandler.
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    const library = /^(UploadProcessorFunction|SecureFunctionBaselineCodeSigningSigner|SecureFunctionBaselinePrefixLists|CustomVpcRestrictDefaultSGCustomResourceProvider)/;
    expect(functions.filter((id) => !library.test(id))).toEqual([]);
    expect(functions.filter((id) => id.startsWith('BucketNotificationsHandler'))).toEqual([]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': { bucket: { name: [{ Ref: stack.getLogicalId(bucket.node.defaultChild as any) }] }, object: { key: [{ prefix: 'uploads/' }] } },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UploadEvents[0-9A-F]{8}$'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UploadEventsFailed'), 'Arn'] } },
      })],
    });
  });

  test('the queue is KMS-encrypted, redrives to a dead-letter queue, and outlasts six function timeouts', () => {
    const { stack, queue } = buildS3PipelineApp();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineKey'), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UploadEventsFailed'), 'Arn'] }, maxReceiveCount: 3 },
    });
    // EventBridge may send to the queue, only for the upload rule, and encrypt for it.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: stack.getLogicalId(queue.node.defaultChild as any) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: Match.arrayWith(['sqs:SendMessage']) }),
          Match.objectLike({
            Effect: 'Deny',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnNotEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^UploadCreated'), 'Arn'] } } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: Match.arrayWith(['kms:GenerateDataKey*']) })]) },
    });
  });

  test('the function consumes the queue in batches of 10, reporting failed records one by one; it reads uploads and writes results', () => {
    const { stack, queue } = buildS3PipelineApp();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as any), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0];
    expect(JSON.stringify(mapping.Properties.FunctionName)).toMatch(/UploadProcessorAlias.*:live/); // the alias
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toMatch(/"s3:GetObject".*\/uploads\/\*/);
    expect(policies).toMatch(/"s3:PutObject".*\/results\/\*/);
  });

  test('has zero findings under the five cdk-nag packs, Control Tower guard rules and CloudFormation validation', () => {
    const { findings, template } = conformanceRun({ recommendedFlags: true }, (stack) => {
      addS3Pipeline(stack);
    });
    expect(findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`)).toEqual([]);
    expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
  });

  test('works as wired: every intended access allowed, every look-alike denied, every reference known, every grant reachable', async () => {
    const { stack } = buildS3PipelineApp();
    const report = await accessModel(stack);
    expect(modelProblems(report)).toEqual(NO_MODEL_PROBLEMS);
    expect(report.intended.total).toBeGreaterThanOrEqual(80);
    expect(report.negative.total).toBeGreaterThanOrEqual(22);
    console.log(`s3-pipeline: intended ${report.intended.allowed}/${report.intended.total}, negative ${report.negative.denied}/${report.negative.total}`);
  });
});
