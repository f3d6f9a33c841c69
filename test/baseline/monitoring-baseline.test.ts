import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SecureFunction, SecurityBaseline } from '../../src';
import { minimalProps, newStack } from '../support/fixtures';

const LAMBDA_SCOPE = { ComplianceResourceTypes: ['AWS::Lambda::Function'] };

describe('the alarm topic', () => {
  test('is encrypted with the stack key and refuses anything but TLS', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('can be published to by CloudWatch and EventBridge only through SNS and SQS', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
    const statements = Object.values(keys)[0].Properties.KeyPolicy.Statement as Array<{ Sid?: string }>;
    expect(statements.filter((st) => st.Sid === 'AlarmAndEventPublishersThroughSnsAndSqs')).toEqual([{
      Sid: 'AlarmAndEventPublishersThroughSnsAndSqs',
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:ViaService': [
            { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
            { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          ],
        },
      },
    }]);
  });

  test('an imported key is reported with the statement it needs', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { key: kms.Key.fromKeyArn(stack, 'Org', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    new SecureFunction(stack, 'Fn', minimalProps());
    Annotations.fromStack(stack).hasWarning('/Test/Baseline/Monitoring', Match.stringLikeRegexp('cloudwatch.amazonaws.com and events.amazonaws.com'));
  });
});

describe('the AWS Config rules', () => {
  test.each([
    ['LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED', undefined],
    ['LAMBDA_INSIDE_VPC', undefined],
    ['LAMBDA_CONCURRENCY_CHECK', { ConcurrencyLimitLow: '1' }],
    ['LAMBDA_DLQ_CHECK', undefined],
    ['LAMBDA_VPC_MULTI_AZ_CHECK', undefined],
    ['LAMBDA_FUNCTION_XRAY_ENABLED', undefined],
  ])('%s is deployed, scoped to Lambda functions, with parameters matching SecureFunction', (identifier, parameters) => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: identifier },
      Scope: LAMBDA_SCOPE,
      InputParameters: parameters ?? Match.absent(),
    });
  });

  test('are created once per stack, however many functions, with one topic and one route', () => {
    const stack = newStack();
    new SecureFunction(stack, 'A', minimalProps());
    new SecureFunction(stack, 'B', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Config::ConfigRule', 6);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
  });

  test('route every NON_COMPLIANT result of these rules to the topic, with a dead-letter queue', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    const ruleNames = Object.keys(template.findResources('AWS::Config::ConfigRule')).map((id) => ({ Ref: id }));
    expect(ruleNames).toHaveLength(6);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        'detail': {
          configRuleName: ruleNames,
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
      Targets: [Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('^SecureFunctionBaselineMonitoringAlarmTopic') },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineTerminalDeadLetterQueue'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8 },
      })],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })]) },
    });
  });

  test('an account whose rules are managed centrally opts out: no rules, no route', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { configRules: false });
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Config::ConfigRule', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
  });

  test('no configuration recorder is created', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
  });
});
