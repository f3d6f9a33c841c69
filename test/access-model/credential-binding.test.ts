import { accessModel } from '../support/access-model/access-model';
import { CfnTemplate } from '../support/access-model/cfn-resolver';
import { bindingNegatives } from '../support/access-model/credential-binding';
import { negativePaths } from '../support/access-model/intended-paths';
import { Judged } from '../support/access-model/model-harness';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111111111111:function:orders';
const OTHER_FUNCTION = 'arn:aws:lambda:us-east-1:111111111111:function:other';
const ROLE = 'arn:aws:iam::111111111111:role/Test-Role';
const OBJECT = 'arn:aws:s3:::test-uploads/uploads/object.json';
const QUEUE = 'arn:aws:sqs:us-east-1:111111111111:Test-Dlq';

/**
 * A function whose role reads its bucket only from within the function (a
 * bound statement, as the library writes it: a policy naming the function's
 * ARN, attached to the role) and lets Lambda send its dead letters (unbound:
 * Lambda sends them from outside the function's environment).
 */
function template(bindDeadLetters = false): CfnTemplate {
  const bound = { ArnEquals: { 'lambda:SourceFunctionArn': { 'Fn::GetAtt': ['Fn', 'Arn'] } } };
  return {
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'Test-Role',
          AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          Policies: [{
            PolicyName: 'lambda',
            PolicyDocument: {
              Statement: [
                { Sid: 'SendToOwnDeadLetterQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
                // S3's use of the bucket's key, for the code: through S3 only, and not bound.
                { Sid: 'UploadsKeyThroughS3', Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['TestOwnedKey', 'Arn'] }, Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
              ],
            },
          }],
        },
      },
      CodePolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'code',
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [
              { Sid: 'ReadUploads', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Uploads', 'Arn'] }, '/*']] }, Condition: bound },
              ...(bindDeadLetters ? [{ Sid: 'BoundDeadLetters', Effect: 'Deny', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, Condition: { ArnNotEquals: bound.ArnEquals } }] : []),
            ],
          },
        },
      },
      TestOwnedKey: {
        Type: 'AWS::KMS::Key',
        Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }] } },
      },
      Uploads: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketName: 'test-uploads',
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['TestOwnedKey', 'Arn'] } } }] },
        },
      },
      Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'Test-Dlq' } },
      DlqPolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'Dlq' }],
          PolicyDocument: {
            Statement: [{ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
          },
        },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'orders',
          Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Runtime: 'nodejs24.x',
          Handler: 'index.handler',
          Code: { ZipFile: 'exports.handler = async () => {}' },
          DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
        },
      },
    },
  };
}

describe('credentials bound to their function (lambda:SourceFunctionArn)', () => {
  const judged = Judged.of(template());

  test('the model reads the role as bound, and the function as the one whose role it is', () => {
    expect(judged.iam.isBound(ROLE)).toBe(true);
    expect(judged.iam.functionOfRole(ROLE)).toBe(FUNCTION_ARN);
    expect(judged.iam.functionOfRole('arn:aws:iam::111111111111:role/Elsewhere')).toBeUndefined();
  });

  test('the function\'s own call is allowed: the model adds its ARN to requests made with its role', async () => {
    expect(await judged.decide({ principal: ROLE, action: 's3:GetObject', resource: OBJECT })).toBe('Allowed');
  });

  test('the same call with the credentials replayed outside the function is denied', async () => {
    expect(await judged.decide({ principal: ROLE, action: 's3:GetObject', resource: OBJECT, outsideEnvironment: true })).toBe('ImplicitlyDenied');
  });

  test('the same call from another function is denied', async () => {
    expect(await judged.decide({ principal: ROLE, action: 's3:GetObject', resource: OBJECT, context: { 'lambda:SourceFunctionArn': OTHER_FUNCTION } })).toBe('ImplicitlyDenied');
  });

  test('Lambda\'s dead-letter send is an outside-environment path, allowed by its unbound statement', async () => {
    const paths = judged.intended(/dead-letter queue|may sqs:SendMessage on Dlq/);
    expect(paths.map((p) => [p.why, p.request.outsideEnvironment])).toEqual([
      ['Lambda sends failed events of Fn to its dead-letter queue', true],
      [`${ROLE} may sqs:SendMessage on Dlq`, true],
    ]);
    expect(await judged.decisions(paths)).toEqual([`sqs:SendMessage ${QUEUE}: Allowed`, `sqs:SendMessage ${QUEUE}: Allowed`]);
  });

  test('the access model asks both look-alikes of each bound call, denied, and none of the outside-environment ones', async () => {
    const report = await accessModel(template());
    expect(report.intended.failures).toEqual([]);
    expect(report.negative.failures).toEqual([]);
    const whys = negativePaths(judged.deployed, (id) => !id.startsWith('TestOwned')).map((p) => p.why);
    expect(report.negative).toMatchObject({ total: whys.length + 2, denied: whys.length + 2 });
    expect(report.unknownReferences).toEqual([]);
    // The hand-written function is outside any VPC and unsigned: the default guardrails refuse it.
    expect(report.guardrails).toEqual([expect.stringMatching(/^CloudFormation creates function orders \(Fn\): ExplicitlyDenied/)]);
  });

  test('S3\'s use of the bucket\'s key for the code is allowed, and gets no look-alike of its own (the S3 call has them)', async () => {
    const keyUse = judged.intended(/uses the key of Uploads/);
    expect(keyUse.map((p) => [p.request.action, p.request.context])).toEqual([['kms:Decrypt', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }]]);
    expect(await judged.decisions(keyUse)).toEqual([`kms:Decrypt ${judged.deployed.getAtt('TestOwnedKey', 'Arn')}: Allowed`]);
    expect(bindingNegatives(keyUse, judged.iam)).toEqual([]);
  });

  test('the two look-alikes of the bound call, by name', async () => {
    const negatives = bindingNegatives(judged.intended(/./), judged.iam);
    expect(negatives.map((p) => p.why)).toEqual([
      `${ROLE} may s3:GetObject on Uploads, with the credentials replayed outside the function (no lambda:SourceFunctionArn)`,
      `${ROLE} may s3:GetObject on Uploads, from another function (lambda:SourceFunctionArn ${OTHER_FUNCTION})`,
    ]);
    expect(await judged.decisions(negatives)).toEqual([`s3:GetObject ${OBJECT}: ImplicitlyDenied`, `s3:GetObject ${OBJECT}: ImplicitlyDenied`]);
  });

  test('binding a call Lambda makes outside the environment breaks it: the model says so', async () => {
    const report = await accessModel(template(true));
    expect(report.intended.failures).toEqual([
      expect.stringMatching(/^Lambda sends failed events of Fn to its dead-letter queue: ExplicitlyDenied/),
      expect.stringMatching(/may sqs:SendMessage on Dlq: ExplicitlyDenied/),
    ]);
  });

  test('a role with no bound statement gets no look-alikes', async () => {
    const unbound = template();
    const policy = (unbound.Resources!.CodePolicy.Properties as any).PolicyDocument.Statement[0];
    delete policy.Condition;
    const plain = Judged.of(unbound);
    expect(plain.iam.isBound(ROLE)).toBe(false);
    expect(bindingNegatives(plain.intended(/./), plain.iam)).toEqual([]);
    expect(await plain.decide({ principal: ROLE, action: 's3:GetObject', resource: OBJECT, outsideEnvironment: true })).toBe('Allowed');
  });
});
