import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureFunction } from '../../src';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { minimalProps, testOwned } from '../support/fixtures';

// A key grant that comes with a grant on a resource encrypted with that key is
// the service's use of the key: scoped to it (kms:ViaService), no KMS endpoint.

function build(wire: (stack: Stack, fn: SecureFunction, key: kms.Key) => void) {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const fn = new SecureFunction(stack, 'Fn', minimalProps());
  const key = new kms.Key(testOwned(stack), 'DataKey', { enableKeyRotation: true });
  wire(stack, fn, key);
  return { stack, fn, template: Template.fromStack(stack) };
}

function endpointServices(template: Template): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((r: any) => JSON.stringify(r.Properties.ServiceName)).sort();
}

function keyStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => [s.Action].flat().every((a: string) => a.startsWith('kms:')) && s.Sid !== 'UseFunctionKey');
}

describe('key grants for a service', () => {
  test.each([
    ['a DynamoDB table', 'dynamodb', (stack: Stack, fn: SecureFunction, key: kms.Key) => new dynamodb.Table(testOwned(stack), 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key,
    }).grantReadWriteData(fn)],
    ['an SQS queue', 'sqs', (stack: Stack, fn: SecureFunction, key: kms.Key) => new sqs.Queue(testOwned(stack), 'Outbox', { encryptionMasterKey: key, enforceSSL: true }).grantSendMessages(fn)],
    ['an S3 bucket', 's3', (stack: Stack, fn: SecureFunction, key: kms.Key) => new s3.Bucket(testOwned(stack), 'Data', { encryptionKey: key, enforceSSL: true }).grantRead(fn)],
  ])('%s encrypted with a key of the app: the key grant is scoped to %s, and no KMS endpoint is opened', async (_name, service, grant) => {
    const { stack, template } = build(grant);
    const statements = keyStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Condition).toEqual({ StringEquals: { 'kms:ViaService': `${service}.eu-west-1.amazonaws.com` } });
    }
    expect(endpointServices(template).filter((s) => s.includes('.kms'))).toEqual([]);
    expect(modelProblems(await accessModel(stack))).toEqual(NO_MODEL_PROBLEMS);
  });

  test('the code\'s own use of a key (key.grantEncryptDecrypt) keeps it unscoped, with its KMS endpoint', async () => {
    const { stack, template } = build((_stack, fn, key) => key.grantEncryptDecrypt(fn));
    expect(keyStatements(template)).toEqual([expect.not.objectContaining({ Condition: expect.anything() })]);
    expect(endpointServices(template).join()).toMatch(/\.kms"/);
    expect(modelProblems(await accessModel(stack))).toEqual(NO_MODEL_PROBLEMS);
  });

  test('a key grant after a grant on something the key does not encrypt is the code\'s own', () => {
    const { template } = build((stack, fn, key) => {
      new sqs.Queue(testOwned(stack), 'Plain', { enforceSSL: true }).grantSendMessages(fn);
      key.grantDecrypt(fn);
    });
    expect(keyStatements(template)).toEqual([expect.objectContaining({ Action: 'kms:Decrypt' })]);
    expect(keyStatements(template)[0].Condition).toBeUndefined();
    expect(endpointServices(template).join()).toMatch(/\.kms"/);
    Template.fromJSON(template.toJSON()).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: Match.stringLikeRegexp('kms') });
  });
});
