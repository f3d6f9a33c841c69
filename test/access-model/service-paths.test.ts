import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { SecureFunction } from '../../src';
import { orderingGaps } from '../support/access-model/access-model';
import { invokedFunctions } from '../support/access-model/integration-paths';
import { Judged } from '../support/access-model/model-harness';
import { minimalProps } from '../support/fixtures';

const FN = 'AWS::Lambda::Function';

function newStack(): Stack {
  return new Stack(new App(), 'Test');
}

function fnIn(stack: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

describe('SNS subscriptions', () => {
  test('SNS dead-letters to the subscription\'s queue for its topic; another topic is refused', async () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    const deadLetterQueue = new sqs.Queue(stack, 'Dlq');
    topic.addSubscription(new subscriptions.LambdaSubscription(fnIn(stack), { deadLetterQueue }));
    const judged = Judged.of(stack);
    const paths = judged.intended(/^SNS dead-letters subscription/);
    expect(await judged.decisions(paths)).toEqual([`sqs:SendMessage ${judged.getAtt('AWS::SQS::Queue', 'Dlq', 'Arn')}: Allowed`]);
    const otherTopic = { ...paths[0].request.context, 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:other' };
    expect(await judged.decide({ ...paths[0].request, context: otherTopic })).toBe('ImplicitlyDenied');
  });

  test('a dead-letter queue encrypted with a template key that does not let SNS use it: the key use is refused', async () => {
    const stack = newStack();
    const deadLetterQueue = new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: new kms.Key(stack, 'Key') });
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fnIn(stack), { deadLetterQueue }));
    const judged = Judged.of(stack);
    const keyArn = judged.getAtt('AWS::KMS::Key', 'Key', 'Arn');
    expect(await judged.decisions(judged.intended(/^SNS dead-letters subscription .* \(its key\)/)))
      .toEqual([`kms:GenerateDataKey ${keyArn}: ImplicitlyDenied`, `kms:Decrypt ${keyArn}: ImplicitlyDenied`]);
  });
});

describe('EventBridge Scheduler', () => {
  function scheduled() {
    const stack = newStack();
    const fn = fnIn(stack);
    new scheduler.Schedule(stack, 'Hourly', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new schedulerTargets.LambdaInvoke(fn, { deadLetterQueue: new sqs.Queue(stack, 'Dlq') }),
    });
    return Judged.of(stack);
  }

  test('Scheduler assumes the target role for the default group; the role invokes the function and dead-letters', async () => {
    const judged = scheduled();
    const role = judged.getAtt('AWS::IAM::Role', 'SchedulerRoleForTarget', 'Arn');
    const paths = judged.intended(/^(EventBridge Scheduler|schedule) /);
    expect(paths.map((p) => [p.request.principal, p.request.action])).toEqual([
      ['scheduler.amazonaws.com', 'sts:AssumeRole'], [role, 'lambda:InvokeFunction'], [role, 'sqs:SendMessage'],
    ]);
    expect(paths[0].request.context).toEqual({ 'aws:SourceAccount': '111111111111', 'aws:SourceArn': 'arn:aws:scheduler:us-east-1:111111111111:schedule-group/default' });
    expect((await judged.decisions(paths)).every((d) => d.endsWith(': Allowed'))).toBe(true);
  });

  test('another account\'s schedule cannot act with the role', async () => {
    const judged = scheduled();
    const negatives = judged.negative(/^another account's schedule acts with the role/);
    expect(await judged.decisions(negatives)).toEqual([`sts:AssumeRole ${judged.getAtt('AWS::IAM::Role', 'SchedulerRoleForTarget', 'Arn')}: ImplicitlyDenied`]);
  });

  test('the schedule does not wait for its role\'s default policy: the ordering gap is reported', () => {
    expect(orderingGaps(scheduled().template)).toEqual([expect.stringMatching(/^Hourly\w+ \(AWS::Scheduler::Schedule\) acts with SchedulerRoleForTarget\w+ but does not wait for its policy/)]);
  });
});

describe('Step Functions', () => {
  test('the state machine\'s role invokes the function its task names; another function is refused', async () => {
    const stack = newStack();
    const fn = fnIn(stack);
    fnIn(stack, 'Other');
    new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn })) });
    const judged = Judged.of(stack);
    const fnArn = judged.getAtt(FN, 'Fn', 'Arn');
    const paths = judged.intended(/^(state machine|Step Functions)/);
    expect(await judged.decisions(paths)).toEqual([`sts:AssumeRole ${judged.getAtt('AWS::IAM::Role', 'MachineRole', 'Arn')}: Allowed`, `lambda:InvokeFunction ${fnArn}: Allowed`]);
    expect(await judged.decide({ ...paths[1].request, resource: judged.getAtt(FN, 'Other', 'Arn') })).toBe('ImplicitlyDenied');
  });

  test('the functions of a definition: optimized and callback invokes, direct ARNs, in parallel branches and map processors', () => {
    const arn = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'a', 'Payload.$': '$' }, Next: 'B' },
        B: { Type: 'Parallel', Branches: [{ StartAt: 'C', States: { C: { Type: 'Task', Resource: arn('c'), End: true } } }], Next: 'D' },
        D: { Type: 'Map', ItemProcessor: { StartAt: 'E', States: { E: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: arn('e') }, End: true } } }, Next: 'F' },
        F: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q' }, End: true },
      },
    };
    expect(invokedFunctions(definition, (name) => (name.startsWith('arn:') ? name : arn(name)))).toEqual([arn('a'), arn('c'), arn('e')]);
  });
});

describe('S3 notifications', () => {
  function notifying() {
    const stack = newStack();
    new s3.Bucket(stack, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fnIn(stack)));
    return Judged.of(stack);
  }

  test('S3 invokes the function for its bucket (Custom::S3BucketNotifications); another account\'s bucket is refused', async () => {
    const judged = notifying();
    const paths = judged.intended(/^S3 notifies/);
    expect(await judged.decisions(paths)).toEqual([`lambda:InvokeFunction ${judged.getAtt(FN, 'Fn', 'Arn')}: Allowed`]);
    expect(paths[0].request.context).toEqual({ 'aws:SourceArn': judged.getAtt('AWS::S3::Bucket', 'Uploads', 'Arn'), 'aws:SourceAccount': '111111111111' });
    expect(await judged.decisions(judged.negative(/^another account's bucket notifies/))).toEqual([expect.stringMatching(/: ImplicitlyDenied$/)]);
  });

  test('a bucket\'s own NotificationConfiguration is followed too', () => {
    const stack = newStack();
    const fn = fnIn(stack);
    new s3.CfnBucket(stack, 'Raw', { notificationConfiguration: { lambdaConfigurations: [{ event: 's3:ObjectCreated:*', function: fn.functionArn }] } });
    const judged = Judged.of(stack);
    expect(judged.intended(/^S3 notifies/).map((p) => [p.request.action, p.request.resource])).toEqual([['lambda:InvokeFunction', judged.getAtt(FN, 'Fn', 'Arn')]]);
  });

  test('the handler function is used only as a ServiceToken: the custom resource waits for its policy, so there is no ordering gap', () => {
    expect(orderingGaps(notifying().template)).toEqual([]);
  });
});

describe('Cognito triggers and asynchronous destinations', () => {
  test('Cognito invokes its trigger for the user pool\'s ARN', async () => {
    const stack = newStack();
    new cognito.UserPool(stack, 'Users', { lambdaTriggers: { preSignUp: fnIn(stack) } });
    const judged = Judged.of(stack);
    const poolArn = judged.getAtt('AWS::Cognito::UserPool', 'Users', 'Arn');
    expect(poolArn).toMatch(/^arn:aws:cognito-idp:us-east-1:111111111111:userpool\/us-east-1_[A-Za-z0-9]{9}$/);
    const paths = judged.intended(/^cognito-idp.amazonaws.com invokes/);
    expect(paths.map((p) => p.request.context?.['aws:SourceArn'])).toEqual([poolArn]);
    expect(await judged.decisions(paths)).toEqual([expect.stringMatching(/: Allowed$/)]);
  });

  test('Lambda sends results to the destinations with the function\'s role, and uses the queue\'s key through SQS; another queue is refused', async () => {
    const stack = newStack();
    const done = new sqs.Queue(stack, 'Done', { encryptionMasterKey: new kms.Key(stack, 'Key') });
    fnIn(stack).configureAsyncInvoke({ onSuccess: new destinations.SqsDestination(done), onFailure: new destinations.SnsDestination(new sns.Topic(stack, 'Failed')) });
    const judged = Judged.of(stack);
    const paths = judged.intended(/^Lambda sends On(Success|Failure) results/);
    const keyArn = judged.getAtt('AWS::KMS::Key', 'Key', 'Arn');
    expect(await judged.decisions(paths)).toEqual([
      `sns:Publish ${judged.ref('AWS::SNS::Topic', 'Failed')}: Allowed`,
      `sqs:SendMessage ${judged.getAtt('AWS::SQS::Queue', 'Done', 'Arn')}: Allowed`, `kms:GenerateDataKey ${keyArn}: Allowed`, `kms:Decrypt ${keyArn}: Allowed`,
    ]);
    expect(paths[2].request.context).toEqual({ 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' });
    expect(await judged.decide({ ...paths[1].request, resource: 'arn:aws:sqs:us-east-1:111111111111:another' })).toBe('ImplicitlyDenied');
  });
});

describe('durable functions', () => {
  test('a durable SecureFunction checkpoints its own executions and decrypts its state; another function\'s executions and other durable actions are denied', async () => {
    const stack = newStack();
    new SecureFunction(stack, 'Durable', minimalProps({ durableConfig: { executionTimeout: Duration.hours(1) } }));
    new SecureFunction(stack, 'Other', minimalProps());
    const judged = Judged.of(stack);
    const own = judged.intended(/checkpoints its durable execution/);
    expect(own.map((p) => p.request.action).sort()).toEqual(['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState']);
    expect(await judged.decisions(own)).toEqual(own.map((p) => `${p.request.action} ${p.request.resource}: Allowed`));
    expect(await judged.decisions(judged.intended(/encrypts its durable state/))).toEqual([
      expect.stringMatching(/^kms:GenerateDataKey .*: Allowed$/), expect.stringMatching(/^kms:Decrypt .*: Allowed$/),
    ]);
    const denied = judged.negative(/durable execution/);
    expect(denied).toHaveLength(2);
    expect(await judged.decisions(denied)).toEqual(denied.map((p) => `${p.request.action} ${p.request.resource}: ImplicitlyDenied`));
  });
});
