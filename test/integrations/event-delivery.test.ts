import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureFunction } from '../../src';
import { DEFAULT_DELIVERY_AGE, DEFAULT_DELIVERY_RETRIES } from '../../src/integrations/event-delivery';
import { findAcknowledgment } from '../../src/rules/acknowledgments';
import { minimalProps } from '../support/fixtures';

function stackWithFunction(env?: { account: string; region: string }): { stack: Stack; fn: SecureFunction } {
  const stack = new Stack(new App(), 'Test', { env });
  return { stack, fn: new SecureFunction(stack, 'Fn', minimalProps()) };
}

const dlqArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnDeadLetterQueue'), 'Arn'] };

describe('deliveries to a SecureFunction dead-letter by default', () => {
  test('an SNS subscription gets the function queue as its redrive policy, which SNS may send to for that topic only', () => {
    const { stack, fn } = stackWithFunction();
    const topic = new sns.Topic(stack, 'Topic');
    topic.addSubscription(new subscriptions.LambdaSubscription(fn));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', RedrivePolicy: { deadLetterTargetArn: dlqArn } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: Match.objectLike({ ArnEquals: { 'aws:SourceArn': { Ref: Match.stringLikeRegexp('^Topic') } } }),
        })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'SnsTopicsDeadLetterToFunctionQueues', Principal: { Service: 'sns.amazonaws.com' } })]) },
    });
  });

  test('an SNS subscription with its own dead-letter queue keeps it', () => {
    const { stack, fn } = stackWithFunction();
    const own = new sqs.Queue(stack, 'Own', { enforceSSL: true });
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn, { deadLetterQueue: own }));
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Own'), 'Arn'] } } });
  });

  test('an EventBridge target gets the function queue and bounded retries; the key names rules by pattern, so nothing waits in a circle', () => {
    const { stack, fn } = stackWithFunction();
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['orders'] } }).addTarget(new eventTargets.LambdaFunction(fn));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({
        DeadLetterConfig: { Arn: dlqArn },
        RetryPolicy: { MaximumRetryAttempts: DEFAULT_DELIVERY_RETRIES, MaximumEventAgeInSeconds: DEFAULT_DELIVERY_AGE.toSeconds() },
      })],
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'EventBridgeRulesDeadLetterToFunctionQueues',
          Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':rule/*'])] } } }),
        })]),
      },
    });
  });

  test('an EventBridge target with its own dead-letter queue and retries keeps them', () => {
    const { stack, fn } = stackWithFunction();
    const own = new sqs.Queue(stack, 'Own', { enforceSSL: true });
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['orders'] } })
      .addTarget(new eventTargets.LambdaFunction(fn, { deadLetterQueue: own, retryAttempts: 7 }));
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Own'), 'Arn'] } }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 7 }) })],
    });
  });

  test('a Scheduler schedule gets the function queue, bounded retries, its role may send there, and it waits for that role', () => {
    const { stack, fn } = stackWithFunction();
    const role = new iam.Role(stack, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    new scheduler.Schedule(stack, 'Hourly', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: new schedulerTargets.LambdaInvoke(fn, { role }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        DeadLetterConfig: { Arn: dlqArn },
        RetryPolicy: { MaximumRetryAttempts: DEFAULT_DELIVERY_RETRIES, MaximumEventAgeInSeconds: 3600 },
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^SchedulerRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sqs:SendMessage', Resource: dlqArn })]) },
    });
    const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0] as any;
    expect(schedule.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^SchedulerRoleDefaultPolicy/)]));
  });

  test('asynchronous invocation without an onFailure destination fails into the function queue', () => {
    const { stack, fn } = stackWithFunction();
    fn.configureAsyncInvoke({ retryAttempts: 1 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: dlqArn } },
      MaximumRetryAttempts: 1,
    });
  });
});

describe('invoke permissions under CT.LAMBDA.PR.2', () => {
  function authorizerPermission(env?: { account: string; region: string }) {
    const { stack, fn } = stackWithFunction(env);
    fn.addPermission('Authorizer', {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: stack.formatArn({ service: 'execute-api', resource: 'abc123', resourceName: 'authorizers/xyz' }),
    });
    const template = Template.fromStack(stack);
    const [id, permission] = Object.entries(template.findResources('AWS::Lambda::Permission'))[0] as [string, any];
    return { stack, id, permission };
  }

  test('a source ARN built in the template gets the account beside it: a literal in an env-specific stack', () => {
    const { permission } = authorizerPermission({ account: '111111111111', region: 'eu-west-1' });
    expect(permission.Properties.SourceAccount).toBe('111111111111');
    expect(JSON.stringify(permission.Properties.SourceArn)).toMatch(/:execute-api:eu-west-1:111111111111:abc123\/authorizers\/xyz/);
  });

  test('in an env-agnostic stack, where neither can be read by a template check, the check is acknowledged naming both', () => {
    const { stack, permission } = authorizerPermission();
    expect(permission.Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    const cfn = stack.node.findAll().find((c) => c instanceof lambda.CfnPermission)!;
    const ack = findAcknowledgment('cdk-validator-cfnguard::lambda_function_public_access_prohibited_check', cfn);
    expect(ack?.reason).toMatch(/SourceArn .*execute-api.*SourceAccount <AWS::AccountId>/);
  });

  test('a source that is a reference to a resource of the stack needs nothing more', () => {
    const { stack, fn } = stackWithFunction();
    const topic = new sns.Topic(stack, 'Topic');
    fn.addPermission('Topic', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: topic.topicArn });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', { SourceArn: { Ref: Match.stringLikeRegexp('^Topic') }, SourceAccount: Match.absent() });
  });
});
