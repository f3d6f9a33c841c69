import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Judged } from '../support/access-model/model-harness';

function newStack(): Stack {
  return new Stack(new App(), 'Test');
}

function fnIn(stack: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

/** The grant paths of the function's role, as `action resource: decision`. */
async function grantsOf(judged: Judged, roleOf = 'FnServiceRole'): Promise<string[]> {
  const role = judged.getAtt('AWS::IAM::Role', roleOf, 'Arn');
  return judged.decisions(judged.intended(new RegExp(`^${role.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (may|uses the key of)`)));
}

describe('grants of template resources to a role', () => {
  test('a table encrypted with a template key, granted read and write: GetItem, PutItem and the key through DynamoDB', async () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key })
      .grantReadWriteData(fnIn(stack));
    const judged = Judged.of(stack);
    const table = judged.getAtt('AWS::DynamoDB::Table', 'Table', 'Arn');
    const keyArn = judged.getAtt('AWS::KMS::Key', 'Key', 'Arn');
    expect(await grantsOf(judged)).toEqual([`dynamodb:GetItem ${table}: Allowed`, `kms:Decrypt ${keyArn}: Allowed`, `dynamodb:PutItem ${table}: Allowed`, `kms:Decrypt ${keyArn}: Allowed`]);
    expect(judged.intended(/uses the key of Table/)[0].request.context).toEqual({ 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' });
  });

  test('a bucket encrypted with a template key, granted read: GetObject on an object and the key through S3; no write path, and a write is refused', async () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'Key') }).grantRead(fnIn(stack));
    const judged = Judged.of(stack);
    const object = `${judged.getAtt('AWS::S3::Bucket', 'Bucket', 'Arn')}/uploads/object.json`;
    expect(await grantsOf(judged)).toEqual([`s3:GetObject ${object}: Allowed`, `kms:Decrypt ${judged.getAtt('AWS::KMS::Key', 'Key', 'Arn')}: Allowed`]);
    expect(await judged.decide({ principal: judged.getAtt('AWS::IAM::Role', 'FnServiceRole', 'Arn'), action: 's3:PutObject', resource: object })).toBe('ImplicitlyDenied');
  });

  test('a queue, a topic, a bus, a state machine and a function granted to one role: one path each', async () => {
    const stack = newStack();
    const fn = fnIn(stack);
    new sqs.Queue(stack, 'Outbox').grantSendMessages(fn);
    new sns.Topic(stack, 'Notices').grantPublish(fn);
    new events.EventBus(stack, 'Bus').grantPutEventsTo(fn);
    new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) }).grantStartExecution(fn);
    fnIn(stack, 'Downstream').grantInvoke(fn);
    const judged = Judged.of(stack);
    expect(await grantsOf(judged)).toEqual([
      `sqs:SendMessage ${judged.getAtt('AWS::SQS::Queue', 'Outbox', 'Arn')}: Allowed`,
      `sns:Publish ${judged.ref('AWS::SNS::Topic', 'Notices')}: Allowed`,
      `events:PutEvents ${judged.getAtt('AWS::Events::EventBus', 'Bus', 'Arn')}: Allowed`,
      `states:StartExecution ${judged.ref('AWS::StepFunctions::StateMachine', 'Machine')}: Allowed`,
      `lambda:InvokeFunction ${judged.getAtt('AWS::Lambda::Function', 'Downstream', 'Arn')}: Allowed`,
    ]);
  });

  test('a grant to an encrypted queue that lost its key statement: the send path holds, the key use is refused', async () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const queue = new sqs.Queue(stack, 'Outbox', { encryptionMasterKey: key });
    queue.grantSendMessages(fnIn(stack));
    // The key policy delegates to IAM (the account root): without the grant's key statement the role may not use the key.
    const judged = Judged.of(stack);
    const template = judged.template;
    for (const policy of Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement.filter((st: any) => ![st.Action].flat().some((a: string) => a.startsWith('kms:')));
    }
    const broken = Judged.of(template);
    const keyArn = broken.getAtt('AWS::KMS::Key', 'Key', 'Arn');
    expect(await grantsOf(broken)).toEqual([
      `sqs:SendMessage ${broken.getAtt('AWS::SQS::Queue', 'Outbox', 'Arn')}: Allowed`, `kms:GenerateDataKey ${keyArn}: ImplicitlyDenied`, `kms:Decrypt ${keyArn}: ImplicitlyDenied`,
    ]);
  });
});
