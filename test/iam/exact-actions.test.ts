import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DependencyGroup } from 'constructs';
import { exactStatements } from '../../src/iam/exact-actions';
import { IAM_REFERENCE } from '../../src/iam/iam-reference.generated';

/** A role like ManagedPolicyRole: records every statement granted to it and adds its exact statements. */
class ExactRole extends iam.Role {
  public readonly received: iam.PolicyStatement[] = [];

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.received.push(statement);
    for (const exact of exactStatements(this, statement)) super.addToPrincipalPolicy(exact);
    return { statementAdded: true, policyDependable: new DependencyGroup() };
  }
}

interface Grants {
  readonly stack: Stack;
  readonly role: ExactRole;
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly stream: kinesis.Stream;
  readonly key: kms.Key;
}

/** Every grant the brief names, on one role. */
function allGrants(): Grants {
  const stack = new Stack(new App(), 'Stack');
  const role = new ExactRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const bucket = new s3.Bucket(stack, 'Bucket');
  bucket.grantRead(role);
  bucket.grantReadWrite(role);
  bucket.grantPut(role);
  bucket.grantDelete(role);
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    stream: dynamodb.StreamViewType.NEW_IMAGE,
  });
  table.grantReadData(role);
  table.grantReadWriteData(role);
  table.grantStreamRead(role);
  const stream = new kinesis.Stream(stack, 'Stream');
  stream.grantRead(role);
  const key = new kms.Key(stack, 'Key');
  key.grantEncryptDecrypt(role);
  new sqs.Queue(stack, 'Queue').grantConsumeMessages(role);
  new sns.Topic(stack, 'Topic').grantPublish(role);
  new secretsmanager.Secret(stack, 'Secret').grantRead(role);
  new sfn.StateMachine(stack, 'StateMachine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) })
    .grantStartExecution(role);
  new logs.LogGroup(stack, 'LogGroup').grantWrite(role);
  return { stack, role, bucket, table, stream, key };
}

type Pair = readonly [action: string, resource: string];

/** Every (action, resolved resource) pair a list of statements grants. */
function pairs(stack: Stack, statements: readonly iam.PolicyStatement[]): Pair[] {
  return statements.flatMap((s) => s.actions.flatMap((a) => s.resources.map((r): Pair => [a, JSON.stringify(stack.resolve(r))])));
}

/** The actions granted on one resource. */
function actionsOn(stack: Stack, statements: readonly iam.PolicyStatement[], resource: string): string[] {
  const target = JSON.stringify(stack.resolve(resource));
  return pairs(stack, statements).filter(([, r]) => r === target).map(([a]) => a).sort();
}

function matches(pattern: string, action: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(action);
}

function resolved(stack: Stack, statements: readonly iam.PolicyStatement[]): unknown {
  return statements.map((s) => stack.resolve(s.toStatementJson()));
}

/** The action names of one service in the generated table, decoded independently of exact-actions.ts. */
function tableActions(service: string): Set<string> {
  const digits = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const names = new Set<string>();
  let previous = '';
  for (const entry of (IAM_REFERENCE[service] ?? '|').split('|')[1].split(';').filter(Boolean)) {
    previous = previous.slice(0, digits.indexOf(entry[0])) + entry.slice(1).split('=')[0];
    names.add(previous);
  }
  return names;
}

describe('exactStatements on real CDK grants', () => {
  test('leaves no wildcard in any action', () => {
    const { stack, role } = allGrants();
    const exact = role.received.flatMap((s) => exactStatements(stack, s));
    expect(pairs(stack, role.received).some(([a]) => a.includes('*'))).toBe(true);
    expect(exact.flatMap((s) => s.actions).filter((a) => /[*?]/.test(a))).toEqual([]);
  });

  test('bucket.grantRead puts object reads on bucket/* and bucket reads on the bucket ARN', () => {
    const stack = new Stack(new App(), 'Stack');
    const role = new ExactRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.grantRead(role);
    const exact = exactStatements(stack, role.received[0]);

    const onBucket = actionsOn(stack, exact, bucket.bucketArn);
    const onObjects = actionsOn(stack, exact, bucket.arnForObjects('*'));
    expect(onBucket).toEqual(expect.arrayContaining(['s3:GetBucketLocation', 's3:GetBucketPolicy', 's3:ListBucket', 's3:ListBucketVersions']));
    expect(onObjects).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:GetObjectVersion']));
    expect(onBucket.filter((a) => a.startsWith('s3:GetObject'))).toEqual([]);
    expect(onObjects.filter((a) => a.startsWith('s3:GetBucket') || a === 's3:ListBucket')).toEqual([]);
    // s3:ListAllMyBuckets (from s3:List*) has no resource-level permission: it belongs with '*' only.
    expect([...onBucket, ...onObjects]).not.toContain('s3:ListAllMyBuckets');
  });

  test('the role policy holds the exact statements', () => {
    const stack = new Stack(new App(), 'Stack');
    new s3.Bucket(stack, 'Bucket').grantRead(new ExactRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['s3:GetObject', 's3:GetObjectVersion']),
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Bucket'), 'Arn'] }, '/*']] },
        })]),
      },
    });
  });

  test('bucket.grantReadWrite, grantPut and grantDelete never put object writes on the bucket ARN', () => {
    const { stack, role, bucket } = allGrants();
    const exact = role.received.flatMap((s) => exactStatements(stack, s));
    const onBucket = actionsOn(stack, exact, bucket.bucketArn);
    expect(onBucket).toContain('s3:ListBucket');
    expect(onBucket.filter((a) => /^s3:(PutObject|DeleteObject|AbortMultipartUpload)/.test(a))).toEqual([]);
    expect(actionsOn(stack, exact, bucket.arnForObjects('*'))).toEqual(expect.arrayContaining([
      's3:AbortMultipartUpload', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObject', 's3:PutObjectTagging',
    ]));
  });

  test('key.grantEncryptDecrypt expands kms:ReEncrypt* and kms:GenerateDataKey* to their exact actions', () => {
    const { stack, role, key } = allGrants();
    const exact = role.received.flatMap((s) => exactStatements(stack, s));
    expect(actionsOn(stack, exact, key.keyArn)).toEqual([
      'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext',
      'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
    ]);
  });

  test('stream.grantRead keeps on the stream ARN only the actions that apply to a stream', () => {
    const { stack, role, stream } = allGrants();
    const exact = role.received.flatMap((s) => exactStatements(stack, s));
    expect(actionsOn(stack, exact, stream.streamArn)).toEqual([
      'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards',
    ]);
  });

  test('table.grantStreamRead keeps stream actions on the stream ARN and dynamodb:ListStreams on *', () => {
    const { stack, role, table } = allGrants();
    const exact = role.received.flatMap((s) => exactStatements(stack, s));
    expect(actionsOn(stack, exact, table.tableStreamArn!)).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']);
    expect(actionsOn(stack, exact, '*')).toContain('dynamodb:ListStreams');
  });

  test('drops dynamodb:GetRecords on a table and its indexes, where it grants nothing', () => {
    const stack = new Stack(new App(), 'Stack');
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    table.addGlobalSecondaryIndex({ indexName: 'byName', partitionKey: { name: 'name', type: dynamodb.AttributeType.STRING } });
    const statement = new iam.PolicyStatement({
      actions: ['dynamodb:GetRecords', 'dynamodb:Query', 'dynamodb:DescribeTable'],
      resources: [table.tableArn, `${table.tableArn}/index/*`],
    });

    const exact = exactStatements(stack, statement);

    expect(actionsOn(stack, exact, table.tableArn)).toEqual(['dynamodb:DescribeTable', 'dynamodb:Query']);
    expect(actionsOn(stack, exact, `${table.tableArn}/index/*`)).toEqual(['dynamodb:Query']);
  });

  test('never leaves a statement whose only resource may resolve to AWS::NoValue', () => {
    const { stack, role } = allGrants();
    for (const statement of role.received.flatMap((s) => exactStatements(stack, s))) {
      expect(statement.resources.map((r) => stack.resolve(r)).filter((r) => r !== null && r !== undefined).length).toBeGreaterThan(0);
    }
  });

  test('grants nothing the input did not grant', () => {
    const { stack, role } = allGrants();
    for (const statement of role.received) {
      const input = pairs(stack, [statement]);
      for (const [action, resource] of pairs(stack, exactStatements(stack, statement))) {
        expect(input.some(([pattern, r]) => r === resource && matches(pattern, action))).toBe(true);
      }
    }
  });

  test('every output action exists in the generated table (property over every grant)', () => {
    const { stack, role } = allGrants();
    const actions = new Set(role.received.flatMap((s) => exactStatements(stack, s)).flatMap((s) => s.actions));
    expect(actions.size).toBeGreaterThan(50);
    for (const action of actions) {
      const [service, name] = action.split(':');
      expect(`${action} ${tableActions(service).has(name)}`).toBe(`${action} true`);
    }
  });

  test('is idempotent: applying it twice gives what applying it once gives', () => {
    const { stack, role } = allGrants();
    const once = role.received.flatMap((s) => exactStatements(stack, s));
    const twice = once.flatMap((s) => exactStatements(stack, s));
    expect(resolved(stack, twice)).toEqual(resolved(stack, once));
  });

  test('does not modify the input statement', () => {
    const { stack, role } = allGrants();
    const before = resolved(stack, role.received);
    role.received.forEach((s) => exactStatements(stack, s));
    expect(resolved(stack, role.received)).toEqual(before);
  });
});

describe('exactStatements on hand-written statements', () => {
  const stack = new Stack(new App(), 'Stack');

  test.each([
    ['a Deny statement', new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:Get*'], resources: ['arn:aws:s3:::b'] })],
    ['a NotAction statement', new iam.PolicyStatement({ notActions: ['s3:Get*'], resources: ['*'] })],
    ['a NotResource statement', new iam.PolicyStatement({ actions: ['s3:Get*'], notResources: ['arn:aws:s3:::b'] })],
    ['a statement with a principal', new iam.PolicyStatement({ actions: ['s3:Get*'], resources: ['*'], principals: [new iam.AnyPrincipal()] })],
  ])('returns %s unchanged', (_name, statement) => {
    const result = exactStatements(stack, statement);
    expect(result).toHaveLength(1);
    expect(result[0]).toBe(statement);
  });

  test('keeps an unknown service, an unknown action and a pattern that matches nothing as written', () => {
    const statement = new iam.PolicyStatement({ actions: ['madeup:Get*', 's3:NoSuchAction', 's3:Zzz*'], resources: ['arn:aws:s3:::b'] });
    expect(exactStatements(stack, statement).flatMap((s) => s.actions)).toEqual(['madeup:Get*', 's3:NoSuchAction', 's3:Zzz*']);
  });

  test.each([
    ['an imported value', Fn.importValue('SharedBucketArn')],
    ['a parameter', new CfnParameter(stack, 'BucketArn').valueAsString],
  ])('keeps every expanded action on an unresolvable token resource (%s)', (_name, resource) => {
    const statement = new iam.PolicyStatement({ actions: ['s3:GetObject*', 's3:ListAllMyBuckets'], resources: [resource] });
    const [exact, ...rest] = exactStatements(stack, statement);
    expect(rest).toEqual([]);
    expect(exact.actions).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion', 's3:ListAllMyBuckets']));
    expect(exact.actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  test('matches literal ARNs: object actions on objects, bucket actions on buckets, unscoped actions on * only', () => {
    const statement = new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:ListBucket', 's3:ListAllMyBuckets'],
      resources: ['arn:aws:s3:::my-bucket', 'arn:aws:s3:::my-bucket/*', '*'],
    });
    const exact = exactStatements(stack, statement);
    expect(actionsOn(stack, exact, 'arn:aws:s3:::my-bucket')).toEqual(['s3:ListBucket']);
    expect(actionsOn(stack, exact, 'arn:aws:s3:::my-bucket/*')).toEqual(['s3:PutObject']);
    expect(actionsOn(stack, exact, '*')).toEqual(['s3:ListAllMyBuckets', 's3:ListBucket', 's3:PutObject']);
  });

  test('leaves out a statement of which nothing applies to any judged resource: as written it grants nothing', () => {
    const statement = new iam.PolicyStatement({ actions: ['s3:PutObject*'], resources: ['arn:aws:s3:::b'] });
    expect(exactStatements(stack, statement)).toEqual([]);
  });

  test('keeps a statement on a resource it cannot judge, with exact actions', () => {
    const statement = new iam.PolicyStatement({ actions: ['s3:PutObject*'], resources: [Fn.importValue('SomeBucketArn')] });
    const exact = exactStatements(stack, statement);
    expect(exact).toHaveLength(1);
    expect(exact[0].actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:PutObjectTagging']));
    expect(exact[0].actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  test('keeps every action on an SSM parameter ARN, whose name may start with a slash', () => {
    const plain = new ssm.StringParameter(stack, 'Plain', { stringValue: 'value', parameterName: 'setting' });
    const slashed = new ssm.StringParameter(stack, 'Slashed', { stringValue: 'value', parameterName: '/app/setting' });
    const statement = new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [plain.parameterArn, slashed.parameterArn] });
    const exact = exactStatements(stack, statement);
    expect(actionsOn(stack, exact, plain.parameterArn)).toEqual(['ssm:GetParameter']);
    expect(actionsOn(stack, exact, slashed.parameterArn)).toEqual(['ssm:GetParameter']);
  });

  test('keeps conditions and the effect, and suffixes the sid when the statement is split', () => {
    const conditions = { StringEquals: { 'aws:ResourceAccount': '123456789012' } };
    const statement = new iam.PolicyStatement({
      sid: 'Read', actions: ['s3:GetObject', 's3:ListBucket'], resources: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], conditions,
    });
    const exact = exactStatements(stack, statement);
    expect(exact.map((s) => s.toStatementJson())).toEqual([
      { Sid: 'Read1', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: conditions },
      { Sid: 'Read2', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: conditions },
    ]);
  });

  test('groups resources that keep the same actions into one statement', () => {
    const statement = new iam.PolicyStatement({
      sid: 'Read', actions: ['sqs:ReceiveMessage'], resources: ['arn:aws:sqs:us-east-1:123456789012:a', 'arn:aws:sqs:us-east-1:123456789012:b'],
    });
    expect(exactStatements(stack, statement).map((s) => s.toStatementJson())).toEqual([{
      Sid: 'Read',
      Effect: 'Allow',
      Action: 'sqs:ReceiveMessage',
      Resource: ['arn:aws:sqs:us-east-1:123456789012:a', 'arn:aws:sqs:us-east-1:123456789012:b'],
    }]);
  });
});
