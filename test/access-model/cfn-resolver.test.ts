import { App, Aws, CfnCondition, CfnElement, CfnMapping, CfnOutput, CustomResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { DeployEnv, ResolvedTemplate } from '../support/access-model/cfn-resolver';

const ENV: DeployEnv = { account: '111111111111', region: 'us-east-1', partition: 'aws', stackName: 'Test' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/;

function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

function resolved(stack: Stack, env: DeployEnv = ENV): ResolvedTemplate {
  return ResolvedTemplate.of(Template.fromStack(stack).toJSON(), env);
}

/** Every object key left anywhere in the value that is an intrinsic. */
function intrinsicKeys(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach(v => intrinsicKeys(v, found));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' || key.startsWith('Fn::')) found.push(key);
      intrinsicKeys(v, found);
    }
  }
  return found;
}

/** A stack with a role, a managed policy, a KMS-encrypted queue, a topic, a function with an alias and a log group. */
function appStack() {
  const stack = new Stack(new App(), 'Test');
  const key = new kms.Key(stack, 'Key');
  const queue = new sqs.Queue(stack, 'Queue', { queueName: 'orders', encryptionMasterKey: key });
  const topic = new sns.Topic(stack, 'Topic', { topicName: 'alerts' });
  const role = new iam.Role(stack, 'Role', { roleName: 'app-role', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  // Attached through the policy's Roles, not the role's ManagedPolicyArns: that would close a cycle role -> policy -> queue -> key -> role.
  const policy = new iam.ManagedPolicy(stack, 'Policy', {
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sns:Publish'], resources: [queue.queueArn, topic.topicArn] })],
  });
  queue.grantSendMessages(role);
  // The key policy names the role, the role's policy names the key.
  key.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['kms:Decrypt'], resources: ['*'] }));
  const logGroup = new logs.LogGroup(stack, 'Logs', { logGroupName: '/app/logs' });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    role,
    logGroup,
    environment: { QUEUE_URL: queue.queueUrl, TOPIC: topic.topicArn },
  });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  return { stack, key, queue, topic, role, policy, logGroup, fn, alias };
}

describe('ResolvedTemplate: a stack without an explicit environment', () => {
  const app = appStack();
  const rt = resolved(app.stack);
  const id = {
    key: logicalId(app.key),
    queue: logicalId(app.queue),
    topic: logicalId(app.topic),
    role: logicalId(app.role),
    policy: logicalId(app.policy),
    defaultPolicy: logicalId(app.role.node.findChild('DefaultPolicy')),
    fn: logicalId(app.fn),
    alias: logicalId(app.alias),
    logs: logicalId(app.logGroup),
  };
  const fnArn = `arn:aws:lambda:us-east-1:111111111111:function:Test-${id.fn}`;
  // The version's logical id carries a hash of the function, known only once synthesized.
  const versionId = rt.ofType('AWS::Lambda::Version')[0].logicalId;

  test('gives concrete ARNs, names and URLs', () => {
    expect(rt.getAtt(id.queue, 'Arn')).toBe('arn:aws:sqs:us-east-1:111111111111:orders');
    expect(rt.ref(id.queue)).toBe('https://sqs.us-east-1.amazonaws.com/111111111111/orders');
    expect(rt.ref(id.topic)).toBe('arn:aws:sns:us-east-1:111111111111:alerts');
    expect(rt.ref(id.role)).toBe('app-role');
    expect(rt.getAtt(id.role, 'Arn')).toBe('arn:aws:iam::111111111111:role/app-role');
    expect(rt.ref(id.policy)).toBe(`arn:aws:iam::111111111111:policy/Test-${id.policy}`);
    expect(rt.ref(id.fn)).toBe(`Test-${id.fn}`);
    expect(rt.getAtt(id.fn, 'Arn')).toBe(fnArn);
    expect(rt.ref(versionId)).toBe(`${fnArn}:1`);
    expect(rt.getAtt(versionId, 'Version')).toBe('1');
    expect(rt.ref(id.alias)).toBe(`${fnArn}:live`);
    expect(rt.ref(id.logs)).toBe('/app/logs');
    expect(rt.getAtt(id.logs, 'Arn')).toBe('arn:aws:logs:us-east-1:111111111111:log-group:/app/logs:*');
  });

  test('gives a KMS key a deterministic uuid-like id', () => {
    const keyId = rt.ref(id.key);
    expect(keyId).toMatch(UUID);
    expect(rt.getAtt(id.key, 'KeyId')).toBe(keyId);
    expect(rt.getAtt(id.key, 'Arn')).toBe(`arn:aws:kms:us-east-1:111111111111:key/${keyId}`);
    expect(resolved(appStack().stack).ref(id.key)).toBe(keyId);
    expect(rt.resources[id.queue].properties.KmsMasterKeyId).toBe(`arn:aws:kms:us-east-1:111111111111:key/${keyId}`);
  });

  test('resolves the properties of resources that refer to each other', () => {
    const keyArn = rt.getAtt(id.key, 'Arn');
    const keyStatements = rt.resources[id.key].properties.KeyPolicy.Statement;
    expect(keyStatements.map((s: { Principal: unknown }) => s.Principal)).toEqual([
      { AWS: 'arn:aws:iam::111111111111:root' },
      { AWS: 'arn:aws:iam::111111111111:role/app-role' },
    ]);
    const roleStatements = rt.resources[id.defaultPolicy].properties.PolicyDocument.Statement;
    expect(roleStatements.map((s: { Resource: unknown }) => s.Resource)).toEqual([
      'arn:aws:sqs:us-east-1:111111111111:orders',
      keyArn,
    ]);
    expect(rt.resources[id.defaultPolicy].properties.Roles).toEqual(['app-role']);
    expect(rt.references(id.key)).toEqual(new Set([id.role]));
    expect(rt.references(id.defaultPolicy)).toEqual(new Set([id.queue, id.key, id.role]));
    expect(rt.references(id.policy)).toEqual(new Set([id.queue, id.topic, id.role]));
    expect(rt.resources[id.policy].properties.Roles).toEqual(['app-role']);
  });

  test('resolves a function, its version and alias to concrete values', () => {
    const fn = rt.resources[id.fn];
    expect(fn.type).toBe('AWS::Lambda::Function');
    expect(fn.properties.Role).toBe('arn:aws:iam::111111111111:role/app-role');
    expect(fn.properties.Environment).toEqual({
      Variables: { QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/orders', TOPIC: 'arn:aws:sns:us-east-1:111111111111:alerts' },
    });
    expect(fn.properties.LoggingConfig).toEqual({ LogGroup: '/app/logs' });
    expect(fn.dependsOn).toEqual([id.defaultPolicy, id.role]);
    expect(rt.resources[versionId].properties.FunctionName).toBe(`Test-${id.fn}`);
    expect(rt.resources[id.alias].properties).toEqual({ FunctionName: `Test-${id.fn}`, FunctionVersion: '1', Name: 'live' });
    expect(rt.ofType('AWS::Lambda::Alias').map(r => r.logicalId)).toEqual([id.alias]);
  });

  test('leaves no intrinsic anywhere in the resources', () => {
    const all = Object.values(rt.resources).map(r => r.properties);
    expect(intrinsicKeys(all)).toEqual([]);
    expect(Object.keys(rt.resources)).toEqual(Object.keys(Template.fromStack(app.stack).toJSON().Resources));
  });

  test('gives the bootstrap version parameter its default and pseudo parameters the environment', () => {
    expect(rt.resolve({ Ref: 'BootstrapVersion' })).toBe('/cdk-bootstrap/hnb659fds/version');
    expect(rt.resolve([Aws.ACCOUNT_ID, Aws.REGION, Aws.PARTITION, Aws.URL_SUFFIX, Aws.STACK_NAME].map(t => app.stack.resolve(t)))).toEqual([
      '111111111111', 'us-east-1', 'aws', 'amazonaws.com', 'Test',
    ]);
    expect(rt.resolve({ Ref: 'AWS::StackId' })).toMatch(/^arn:aws:cloudformation:us-east-1:111111111111:stack\/Test\/[0-9a-f-]{36}$/);
    expect(rt.resolve({ Ref: 'AWS::NotificationARNs' })).toEqual([]);
  });

  test('resolves Fn::Sub in both forms', () => {
    expect(rt.resolve({ 'Fn::Sub': `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:\${${id.queue}.QueueName}` }))
      .toBe('arn:aws:sqs:us-east-1:111111111111:orders');
    expect(rt.resolve({ 'Fn::Sub': `\${${id.topic}} \${!Literal} \${ ${id.role} }` })).toBe('arn:aws:sns:us-east-1:111111111111:alerts ${Literal} app-role');
    expect(rt.resolve({ 'Fn::Sub': ['${Q}/${Name}/${AWS::StackName}', { Q: { Ref: id.queue }, Name: 'x' }] }))
      .toBe('https://sqs.us-east-1.amazonaws.com/111111111111/orders/x/Test');
    expect(rt.resolve(app.stack.resolve(Fn.sub('${Arn}:*', { Arn: app.fn.functionArn })))).toBe(`${fnArn}:*`);
  });
});

describe('ResolvedTemplate: conditions and intrinsic functions', () => {
  function conditionalStack() {
    const stack = new Stack(new App(), 'Test');
    const isUsEast1 = new CfnCondition(stack, 'IsUsEast1', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
    const notUsEast1 = new CfnCondition(stack, 'NotUsEast1', { expression: Fn.conditionNot(isUsEast1) });
    const euOrAsia = new CfnCondition(stack, 'EuOrAsia', {
      expression: Fn.conditionAnd(notUsEast1, Fn.conditionOr(Fn.conditionEquals(Aws.REGION, 'eu-west-1'), Fn.conditionEquals(Aws.REGION, 'ap-south-1'))),
    });
    const onlyUs = new sqs.CfnQueue(stack, 'OnlyUs', { queueName: 'only-us' });
    onlyUs.cfnOptions.condition = isUsEast1;
    const onlyEu = new sqs.CfnQueue(stack, 'OnlyEu', { queueName: 'only-eu' });
    onlyEu.cfnOptions.condition = euOrAsia;
    new sqs.CfnQueue(stack, 'Switch', {
      queueName: Fn.conditionIf(isUsEast1.logicalId, 'switch-us', Aws.NO_VALUE).toString(),
      delaySeconds: Fn.conditionIf(euOrAsia.logicalId, 5, 10) as unknown as number,
      tags: [{ key: 'a', value: '1' }, Fn.conditionIf(isUsEast1.logicalId, { Key: 'b', Value: '2' }, Aws.NO_VALUE) as unknown as { key: string; value: string }],
    });
    return stack;
  }

  test('Fn::If and resource conditions follow the region', () => {
    const us = resolved(conditionalStack());
    expect(Object.keys(us.resources)).toEqual(['OnlyUs', 'Switch']);
    expect(us.resources.OnlyUs).toEqual({ logicalId: 'OnlyUs', type: 'AWS::SQS::Queue', properties: { QueueName: 'only-us' }, dependsOn: [], condition: 'IsUsEast1' });
    expect(us.resources.Switch.properties).toEqual({ QueueName: 'switch-us', DelaySeconds: 10, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    expect(us.getAtt('Switch', 'Arn')).toBe('arn:aws:sqs:us-east-1:111111111111:switch-us');

    const eu = resolved(conditionalStack(), { ...ENV, region: 'eu-west-1' });
    expect(Object.keys(eu.resources)).toEqual(['OnlyEu', 'Switch']);
    expect(eu.resources.Switch.properties).toEqual({ DelaySeconds: 5, Tags: [{ Key: 'a', Value: '1' }] });
    // No QueueName once AWS::NoValue removed it: the generated name.
    expect(eu.getAtt('Switch', 'Arn')).toBe('arn:aws:sqs:eu-west-1:111111111111:Test-Switch');
    expect(resolved(conditionalStack(), { ...ENV, region: 'us-west-2' }).ofType('AWS::SQS::Queue').map(r => r.logicalId)).toEqual(['Switch']);
  });

  test('AWS::NoValue removes the key or the list element', () => {
    const rt = resolved(conditionalStack());
    expect(rt.resolve({ a: { Ref: 'AWS::NoValue' }, b: [1, { Ref: 'AWS::NoValue' }, 2], c: 'kept' })).toEqual({ b: [1, 2], c: 'kept' });
    expect(rt.resolve({ Ref: 'AWS::NoValue' })).toBeUndefined();
  });

  test('Join, Select, Split, FindInMap, GetAZs, ImportValue, Base64, Cidr, ToJsonString and GetAtt strings', () => {
    const stack = new Stack(new App(), 'Test');
    new CfnMapping(stack, 'Sizes', { mapping: { 'us-east-1': { memory: 512 }, 'eu-west-1': { memory: 256 } } });
    const queue = new sqs.CfnQueue(stack, 'Q', { queueName: 'q' });
    new CfnOutput(stack, 'Out', { value: Fn.findInMap('Sizes', Aws.REGION, 'memory') });
    const rt = resolved(stack);
    expect(rt.resolve(stack.resolve(Fn.join(':', [queue.attrQueueName, Aws.REGION, 'x'])))).toBe('q:us-east-1:x');
    expect(rt.resolve(stack.resolve(Fn.select(1, Fn.split('/', 'a/b/c'))))).toBe('b');
    expect(rt.resolve(stack.resolve(Fn.findInMap('Sizes', Aws.REGION, 'memory')))).toBe(512);
    expect(rt.resolve({ 'Fn::FindInMap': ['Sizes', 'ap-south-1', 'memory', { DefaultValue: 128 }] })).toBe(128);
    expect(rt.resolve(stack.resolve(Fn.getAzs()))).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(rt.resolve(stack.resolve(Fn.select(0, Fn.getAzs('eu-west-1'))))).toBe('eu-west-1a');
    expect(rt.resolve(stack.resolve(Fn.importValue('Shared-VpcId')))).toBe('imported:Shared-VpcId');
    expect(rt.resolve(stack.resolve(Fn.base64(Fn.sub('#!/bin/sh ${AWS::Region}'))))).toBe('#!/bin/sh us-east-1');
    expect(rt.resolve(stack.resolve(Fn.cidr('10.0.0.0/16', 3, '8')))).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    expect(rt.resolve({ 'Fn::ToJsonString': { arn: { 'Fn::GetAtt': 'Q.Arn' } } })).toBe('{"arn":"arn:aws:sqs:us-east-1:111111111111:q"}');
    expect(rt.resolve({ 'Fn::Length': [1, { Ref: 'AWS::NoValue' }, 3] })).toBe(2);
    expect(() => rt.resolve({ Ref: 'Missing' })).toThrow('No resource Missing in the template');
  });
});

describe('ResolvedTemplate: a stack with an explicit environment', () => {
  test('keeps the literal account and region the template holds', () => {
    const stack = new Stack(new App(), 'Prod', { env: { account: '222222222222', region: 'eu-west-1' } });
    const key = new kms.Key(stack, 'Key');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountPrincipal('333333333333') });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'],
      resources: [stack.formatArn({ service: 'sqs', resource: 'orders' })],
    }));
    const rt = resolved(stack, { ...ENV, stackName: 'Prod' });
    const keyStatement = rt.resources[logicalId(key)].properties.KeyPolicy.Statement[0];
    expect(keyStatement.Principal).toEqual({ AWS: 'arn:aws:iam::222222222222:root' });
    const policy = rt.ofType('AWS::IAM::Policy')[0];
    expect(policy.properties.PolicyDocument.Statement[0].Resource).toBe('arn:aws:sqs:eu-west-1:222222222222:orders');
    expect(rt.resources[logicalId(role)].properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::333333333333:root' });
    // Physical ids come from the environment given.
    expect(rt.getAtt(logicalId(role), 'Arn')).toBe(`arn:aws:iam::111111111111:role/Prod-${logicalId(role)}`);
  });
});

describe('ResolvedTemplate: physical ids per type', () => {
  test('networking, storage, signing, alarms and custom resources', () => {
    const stack = new Stack(new App(), 'Test');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, restrictDefaultSecurityGroup: false, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const endpoint = vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS, securityGroups: [sg] });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
    const profile = new signer.SigningProfile(stack, 'Profile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA, signatureValidity: Duration.days(30) });
    const parameter = new ssm.StringParameter(stack, 'Param', { parameterName: '/app/bucket', stringValue: bucket.bucketName });
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', { metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
    const custom = new CustomResource(stack, 'Custom', { serviceToken: 'arn:aws:lambda:us-east-1:111111111111:function:provider', resourceType: 'Custom::Thing' });
    const rt = resolved(stack);
    const [subnet] = rt.ofType('AWS::EC2::Subnet');

    expect(rt.ref(logicalId(vpc))).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(rt.getAtt(logicalId(vpc), 'CidrBlock')).toBe('10.0.0.0/16');
    expect(subnet.properties.AvailabilityZone).toBe('us-east-1a');
    expect(subnet.properties.CidrBlock).toBe('10.0.0.0/16');
    expect(subnet.properties.VpcId).toBe(rt.ref(logicalId(vpc)));
    expect(rt.getAtt(subnet.logicalId, 'AvailabilityZone')).toBe('us-east-1a');
    expect(rt.getAtt(logicalId(sg), 'GroupId')).toBe(rt.ref(logicalId(sg)));
    expect(rt.resources[logicalId(endpoint)].properties.SecurityGroupIds).toEqual([rt.ref(logicalId(sg))]);
    expect(rt.resolve({ 'Fn::GetAtt': [logicalId(endpoint), 'DnsEntries'] })).toEqual([
      expect.stringMatching(/^Z7HUB22UULQXV:vpce-[0-9a-f]{17}-[a-z0-9]{8}\.sqs\.us-east-1\.vpce\.amazonaws\.com$/),
    ]);
    expect(() => rt.getAtt(logicalId(endpoint), 'DnsEntries')).toThrow('is a list');
    expect(rt.ref(logicalId(bucket))).toBe(`test-${logicalId(bucket).toLowerCase()}`);
    expect(rt.getAtt(logicalId(bucket), 'Arn')).toBe(`arn:aws:s3:::test-${logicalId(bucket).toLowerCase()}`);
    expect(rt.resources[logicalId(parameter)].properties.Value).toBe(rt.ref(logicalId(bucket)));
    expect(rt.ref(logicalId(parameter))).toBe('/app/bucket');
    expect(rt.getAtt(logicalId(table), 'StreamArn')).toBe(`arn:aws:dynamodb:us-east-1:111111111111:table/Test-${logicalId(table)}/stream/2024-01-01T00:00:00.000`);
    const profileArn = `arn:aws:signer:us-east-1:111111111111:/signing-profiles/Test_${logicalId(profile)}`;
    expect(rt.ref(logicalId(profile))).toBe(profileArn);
    expect(rt.getAtt(logicalId(profile), 'ProfileVersionArn')).toBe(`${profileArn}/v1Abc`);
    expect(rt.getAtt(logicalId(alarm), 'Arn')).toBe(`arn:aws:cloudwatch:us-east-1:111111111111:alarm:Test-${logicalId(alarm)}`);
    expect(rt.ref(logicalId(custom))).toBe(`${logicalId(custom)}-physical`);
    expect(rt.getAtt(logicalId(custom), 'Result')).toBe(`${logicalId(custom)}.Result`);
    expect(intrinsicKeys(Object.values(rt.resources).map(r => r.properties))).toEqual([]);
  });

  test('unknown types, IAM paths, and a cycle through name properties', () => {
    const rt = ResolvedTemplate.of({
      Resources: {
        Thing: { Type: 'AWS::Made::Up', Properties: { Name: 'thing' } },
        Pathed: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r', Path: '/svc/', AssumeRolePolicyDocument: {} } },
        A: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::Join': ['-', ['a', { Ref: 'B' }]] } } },
        B: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::Sub': 'b-${A}' } } },
      },
    }, ENV);
    expect(rt.ref('Thing')).toBe('Thing-physical-id');
    expect(rt.getAtt('Thing', 'Arn')).toBe('Thing.Arn');
    expect(rt.getAtt('Pathed', 'Arn')).toBe('arn:aws:iam::111111111111:role/svc/r');
    expect(rt.ref('A')).toBe('a-Test-B');
    expect(rt.ref('B')).toBe('Test-B');
    expect(rt.resources.A.properties).toEqual({ RoleName: 'a-Test-B' });
    expect(rt.references('A')).toEqual(new Set(['B']));
    expect(rt.references('B')).toEqual(new Set(['A']));
  });
});
