import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SecureFunction } from '../../src';
import { accessModel } from '../support/access-model/access-model';
import { CfnTemplate } from '../support/access-model/cfn-resolver';
import { globsIntersect } from '../support/access-model/reference-check';
import { minimalProps, newStack } from '../support/fixtures';

/** A default SecureFunction with a secret, as JSON to break on purpose. */
function template(): any {
  const stack = newStack();
  new SecureFunction(stack, 'Fn', minimalProps({ secrets: { DB_SECRET_ARN: new secretsmanager.Secret(stack, 'Db') } }));
  return Template.fromStack(stack).toJSON();
}

const ofType = (t: any, type: string): any[] => Object.values(t.Resources).filter((r: any) => r.Type === type);
const keyPolicy = (t: any): any[] => ofType(t, 'AWS::KMS::Key')[0].Properties.KeyPolicy.Statement;

describe('the access model fails a template that does not work', () => {
  test('the topic policy of before (EventBridge only): every alarm action is refused', async () => {
    const t = template();
    const policy = ofType(t, 'AWS::SNS::TopicPolicy')[0].Properties.PolicyDocument;
    policy.Statement = policy.Statement.filter((st: any) => st.Sid !== 'CloudWatchAlarmsOfThisAccount');
    policy.Statement.push({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: policy.Statement[0].Resource });
    const report = await accessModel(t as CfnTemplate);
    const refused = report.intended.failures.filter((f) => /^CloudWatch alarm .* publishes to its topic: ImplicitlyDenied/.test(f));
    // One per alarm of the function: seven with nothing wired to it.
    expect(refused).toHaveLength(7);
  });

  test('the key statement of before (kms:ViaService through SNS): CloudWatch cannot encrypt for the topic', async () => {
    const t = template();
    const statements = keyPolicy(t);
    const cloudwatch = statements.find((st: any) => st.Sid === 'CloudWatchAlarmsEncryptForAlarmTopic');
    cloudwatch.Condition = { StringEquals: { 'kms:ViaService': 'sns.us-east-1.amazonaws.com' } };
    const report = await accessModel(t as CfnTemplate);
    // kms:GenerateDataKey and kms:Decrypt for each of the seven alarms.
    expect(report.intended.failures.filter((f) => /^CloudWatch encrypts for the topic/.test(f))).toHaveLength(14);
  });

  test('a flow log that does not wait for its role\'s policy', async () => {
    const t = template();
    const flowLog = ofType(t, 'AWS::EC2::FlowLog')[0];
    delete flowLog.DependsOn;
    const report = await accessModel(t as CfnTemplate);
    expect(report.ordering).toEqual([expect.stringMatching(/^SecureFunctionBaselineNetworkVpcAllFlowLog\w+ \(AWS::EC2::FlowLog\) acts with SecureFunctionBaselineNetworkFlowLogsRole\w+ but does not wait for its policy/)]);
  });

  test('a misspelt action, a resource of the wrong service and a misspelt condition key', async () => {
    const t = template();
    const policy = ofType(t, 'AWS::IAM::ManagedPolicy').find((p: any) => p.Properties.Roles?.[0]?.Ref?.startsWith('FnServiceRole'));
    policy.Properties.PolicyDocument.Statement.push(
      { Effect: 'Allow', Action: 'sqs:SendMesage', Resource: '*' },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sqs:us-east-1:111111111111:queue' },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaServce': 'x' } } },
    );
    const report = await accessModel(t as CfnTemplate);
    expect(report.unknownReferences).toEqual([
      expect.stringMatching(/action 'sqs:SendMesage' does not exist/),
      expect.stringMatching(/'arn:aws:sqs:us-east-1:111111111111:queue' is no resource of sns:Publish/),
      expect.stringMatching(/condition key 'kms:ViaServce' applies to none of kms:Decrypt/),
    ]);
  });

  test('a function whose security group lost its egress to the endpoint it was granted', async () => {
    const t = template();
    // The rule stays (without any, EC2 would allow all egress), on the wrong port.
    for (const egress of ofType(t, 'AWS::EC2::SecurityGroupEgress')) {
      egress.Properties.FromPort = 80;
      egress.Properties.ToPort = 80;
    }
    const report = await accessModel(t as CfnTemplate);
    expect(report.network).toEqual([expect.stringMatching(/^FnFunction\w+: granted secretsmanager, but has no network path to a secretsmanager endpoint/)]);
  });

  test('a function whose security group is open to the internet', async () => {
    const t = template();
    const sg = ofType(t, 'AWS::EC2::SecurityGroup').find((g: any) => /SecureFunction Test\/Fn/.test(g.Properties.GroupDescription));
    sg.Properties.SecurityGroupEgress = [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }];
    const report = await accessModel(t as CfnTemplate);
    expect(report.network).toEqual(expect.arrayContaining([expect.stringMatching(/path beyond the VPC: .*0\.0\.0\.0\/0/)]));
  });

  test('a key policy open to every principal: another account decrypts', async () => {
    const t = template();
    keyPolicy(t).push({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' });
    const report = await accessModel(t as CfnTemplate);
    expect(report.negative.failures).toEqual(expect.arrayContaining([expect.stringMatching(/^another account's administrator decrypts with/)]));
  });

  test('an encryption-context condition is evaluated, not dropped: log groups of another region are refused', async () => {
    const t = template();
    const logs = keyPolicy(t).find((st: any) => st.Sid === 'CloudWatchLogsOfThisAccount');
    logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'] = 'arn:aws:logs:eu-west-1:111111111111:log-group:*';
    logs.Principal.Service = 'logs.us-east-1.amazonaws.com';
    const report = await accessModel(t as CfnTemplate);
    expect(report.intended.failures.filter((f) => /^CloudWatch Logs encrypts log group/.test(f)).length).toBeGreaterThanOrEqual(3);
  });

  test('a role given a secret it should not have: the look-alike is allowed, and the model says so', async () => {
    const t = template();
    const signerPolicy = ofType(t, 'AWS::IAM::ManagedPolicy').find((p: any) => p.Properties.Roles?.[0]?.Ref?.includes('Signer'));
    const secretId = Object.keys(t.Resources).find((id) => t.Resources[id].Type === 'AWS::SecretsManager::Secret')!;
    signerPolicy.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' });
    const report = await accessModel(t as CfnTemplate);
    expect(report.negative.failures).toEqual([expect.stringMatching(new RegExp(`SignerFunction\\w+ reads a secret it was not given: Allowed.*${secretId}`))]);
  });
});

describe('glob intersection (ARN patterns against the reference\'s ARN templates)', () => {
  test.each([
    ['arn:*:logs:*:*:log-group:*', 'arn:aws:logs:us-east-1:1:log-group:g:*', true],
    ['arn:*:sqs:*:*:*', 'arn:aws:sns:us-east-1:1:t', false],
    ['arn:*:s3:::*/*', 'arn:aws:s3:::bucket/signed-code/*', true],
    ['arn:*:s3:::*', 'arn:aws:s3:::bucket/key', true],
    ['arn:*:secretsmanager:*:*:secret:*', 'arn:aws:secretsmanager:us-east-1:1:secret:db-??????', true],
    ['abc', 'abd', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected);
  });
});
