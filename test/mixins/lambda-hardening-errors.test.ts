import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { LambdaHardening, LambdaHardeningProps } from '../../src';
import { fixesUnder } from '../../src/cfn/fix-notes';
import { HANDLER_ASSET, newStack, testOwned, userVpc } from '../support/fixtures';

/** A plain lambda.Function from the fixture asset, as apps write it. */
function plainFunction(scope: IConstruct, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope as Stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(HANDLER_ASSET),
    ...props,
  });
}

/** The message `act` throws (failing the test when it does not throw). */
function refusal(act: () => unknown): string {
  try {
    act();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal, but nothing was thrown');
}

/** A refusal: what the stack holds, which construct is hardened, with which props, and the pieces the message must name. */
interface RefusalCase {
  /** Builds the stack; returns the construct LambdaHardening is applied to. */
  readonly build: (stack: Stack) => IConstruct;
  readonly props?: LambdaHardeningProps;
  /** The function's path, the prop, the rule, the fix. */
  readonly pieces: string[];
}

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

const REFUSALS: Record<string, RefusalCase> = {
  'an imported role (iam.Role.fromRoleArn)': {
    build: (stack) => plainFunction(stack, 'Imported', { role: iam.Role.fromRoleArn(stack, 'ImportedRole', 'arn:aws:iam::111111111111:role/app') }),
    pieces: ["LambdaHardening Test/Imported: 'role'", 'must be a role the app defines', 'got Test/ImportedRole', 'Fix: let the function create its own role (drop role), or create it in the app with new iam.Role(...)'],
  },
  'one iam.Role shared by two functions (refused on the second)': {
    build: (stack) => {
      const role = new iam.Role(stack, 'SharedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      plainFunction(stack, 'First', { role }).with(new LambdaHardening());
      return plainFunction(stack, 'Second', { role });
    },
    pieces: ["LambdaHardening Test/Second: 'role'", 'is the role of another hardened function', 'rule lambda-role-wildcard', 'got Test/SharedRole', 'Fix: give each function its own role (drop role, and the function creates one)'],
  },
  'an imported logGroup': {
    build: (stack) => plainFunction(stack, 'WithLogGroup', { logGroup: logs.LogGroup.fromLogGroupName(testOwned(stack), 'Logs', '/team/shared') }),
    pieces: ["LambdaHardening Test/WithLogGroup: 'logGroup'", "is not a logs.LogGroup of the function's stack", 'rule lambda-log-group', 'got Test/TestOwned/Logs',
      "Fix: create the log group in the function's stack with new logs.LogGroup(...), or drop logGroup and pass logRetention to LambdaHardening"],
  },
  'a deadLetterQueue of the user': {
    build: (stack) => plainFunction(stack, 'WithQueue', { deadLetterQueue: new sqs.Queue(testOwned(stack), 'Dlq', { enforceSSL: true }) }),
    pieces: ["LambdaHardening Test/WithQueue: 'deadLetterQueue'", 'is given', 'rule lambda-dlq', 'Fix: drop it and use LambdaHardening.of(fn).deadLetterQueue'],
  },
  'a shared security group of the user that allows all outbound': {
    build: (stack) => {
      const vpc = userVpc(stack);
      return plainFunction(stack, 'Open', { vpc, vpcSubnets: ISOLATED, securityGroups: [new ec2.SecurityGroup(testOwned(stack), 'Shared', { vpc })] });
    },
    pieces: ['LambdaHardening Test/Open: security group Test/TestOwned/Shared', 'allows all outbound traffic (rule lambda-unrestricted-egress)',
      'closes only the group the function made for itself', 'got allowAllOutbound: true',
      'Fix: create the group with allowAllOutbound: false and open what it uses with fn.connections.allowTo(peer, port), or leave securityGroups unset'],
  },
  'an imported VPC with closed egress, but no vpc given to LambdaHardening': {
    build: (stack) => plainFunction(stack, 'Closed', {
      vpc: ec2.Vpc.fromVpcAttributes(testOwned(stack), 'Imported', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'] }),
      vpcSubnets: ISOLATED,
      allowAllOutbound: false,
    }),
    pieces: ["LambdaHardening Test/Closed: 'vpc'", 'must name the VPC the function already runs in', 'it is not a VPC of the function\'s stack', 'got none', "Fix: pass new LambdaHardening({ vpc }) with the function's VPC"],
  },
  'a grant made before the mixin to a service with no VPC endpoint (route53)': {
    build: (stack) => {
      const fn = plainFunction(stack, 'Dns');
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['route53:ChangeResourceRecordSets'], resources: ['arn:aws:route53:::hostedzone/Z123'] }));
      return fn;
    },
    pieces: ["SecureFunction Test/Dns: a grant of 'route53:ChangeResourceRecordSets'", 'which has no VPC endpoint CDK knows', "got 'route53'",
      "Fix: if the function reaches route53 another way, name it in servicesWithoutEndpoint: ['route53']"],
  },
  'a custom resource handler granted iam:CreateServiceLinkedRole before the mixin, in an environment-agnostic stack': {
    build: (stack) => {
      const onEvent = plainFunction(stack, 'OnEvent');
      onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['iam:CreateServiceLinkedRole'], resources: ['arn:aws:iam::*:role/aws-service-role/*'] }));
      new cr.Provider(testOwned(stack), 'Provider', { onEventHandler: onEvent });
      return onEvent;
    },
    pieces: ["a grant of 'iam:CreateServiceLinkedRole'", 'whose endpoint exists only in its control-plane region (us-east-1, us-gov-west-1, cn-north-1)',
      "not in the stack's unknown region (an environment-agnostic stack)", "servicesWithoutEndpoint: ['iam']"],
  },
  'a gradual deployment for a function with aliases of its own (refused before anything changes)': {
    build: (stack) => {
      const fn = plainFunction(stack, 'Aliased');
      new lambda.Alias(fn, 'Prod', { aliasName: 'prod', version: fn.currentVersion });
      return fn;
    },
    props: { deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES },
    pieces: ["LambdaHardening Test/Aliased: 'deploymentConfig'", 'needs an alias to shift traffic on', 'got no alias'],
  },
  'an SQS source wired before, reading an imported queue nobody acknowledged': {
    build: (stack) => {
      const fn = plainFunction(stack, 'Imported', { timeout: Duration.seconds(20) });
      fn.addEventSource(new SqsEventSource(sqs.Queue.fromQueueArn(testOwned(stack), 'Orders', 'arn:aws:sqs:eu-west-1:111111111111:orders')));
      return fn;
    },
    pieces: ['LambdaHardening Test/Imported: event source mapping', 'source queue is not a queue of this stack', 'at least 6 x the function timeout (120 s)',
      'got "arn:aws:sqs:eu-west-1:111111111111:orders"', "Fix: define the queue in this stack, or say it has both: Validations.of(fn).acknowledge({ id: 'cdk-secure-function:sqs-source-unchecked'"],
  },
  'a CfnFunction whose role is an ARN string': {
    build: (stack) => {
      const asset = new s3assets.Asset(stack, 'L1Code', { path: HANDLER_ASSET });
      return new lambda.CfnFunction(stack, 'L1', {
        role: 'arn:aws:iam::111111111111:role/app',
        runtime: 'nodejs24.x',
        handler: 'index.handler',
        code: { s3Bucket: asset.s3BucketName, s3Key: asset.s3ObjectKey },
      });
    },
    pieces: ["LambdaHardening Test/L1: 'Role'", 'must be the ARN of an iam.Role the app defines', 'arn:aws:iam::111111111111:role/app', "Fix: create the role with new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }) and pass role.roleArn"],
  },
};

describe('LambdaHardening refuses what it cannot harden', () => {
  test.each(Object.keys(REFUSALS))('%s: the error names the function, the prop and the fix', (name) => {
    const refused = REFUSALS[name];
    const stack = newStack();
    const target = refused.build(stack);
    const message = refusal(() => target.node.with(new LambdaHardening(refused.props)));
    for (const piece of refused.pieces) {
      expect(message).toContain(piece);
    }
    expect(LambdaHardening.of(target)).toBeUndefined();
  });

  // The class documents "Everything is checked before anything changes, so a refusal leaves the function as it was".
  test.each(Object.keys(REFUSALS))('%s: a refusal leaves the stack as it was', (name) => {
    const refused = REFUSALS[name];
    const untouched = newStack();
    refused.build(untouched);
    const attempted = newStack();
    const target = refused.build(attempted);
    refusal(() => target.node.with(new LambdaHardening(refused.props)));
    expect(Template.fromStack(attempted).toJSON()).toEqual(Template.fromStack(untouched).toJSON());
  });

  test('an SQS source wired before, whose queue has no redrive policy and too short a visibility timeout, gets both, reported', () => {
    const stack = newStack();
    const fn = plainFunction(stack, 'Consumer', { timeout: Duration.seconds(10) });
    fn.addEventSource(new SqsEventSource(new sqs.Queue(testOwned(stack), 'Jobs', { enforceSSL: true })));
    fn.with(new LambdaHardening());
    expect(LambdaHardening.of(fn)).toBeInstanceOf(Object);
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 60, RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }) });
    expect(fixesUnder(stack).map((f) => `${f.at} ${f.control}`)).toEqual([
      'Test/TestOwned/Jobs SQS event source failure handling',
      'Test/TestOwned/Jobs SQS event source visibility timeout',
    ]);
  });

  test('a log group of the function\'s own, of its stack, is adopted: the function\'s key and the controls\' retention, reported', () => {
    const stack = newStack();
    const group = new logs.LogGroup(testOwned(stack), 'Logs', { retention: logs.RetentionDays.INFINITE });
    const fn = plainFunction(stack, 'WithLogGroup', { logGroup: group });
    fn.with(new LambdaHardening());
    const hardened = LambdaHardening.of(fn)!;
    expect(hardened.logGroup).toBe(group);
    const template = Template.fromStack(stack);
    const groupId = stack.resolve((group.node.defaultChild as logs.CfnLogGroup).logicalId);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [stack.resolve((hardened.encryptionKey.node.defaultChild as CfnResource).logicalId), 'Arn'] },
      RetentionInDays: 365,
    });
    // No second log group for the function: its own, the VPC's flow logs and the deploy-time signer's.
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: groupId } } });
    expect(fixesUnder(stack)).toEqual([{ at: 'Test/TestOwned/Logs', control: 'lambda-log-group', change: expect.stringMatching(/adopted .* encrypted with .*, kept 365 days/) }]);
  });

  test('a function that sets no timeout keeps Lambda\'s 3 s, so its SQS source\'s default 30 s visibility is enough', () => {
    const stack = newStack();
    const fn = plainFunction(stack, 'Consumer');
    const dlq = new sqs.Queue(testOwned(stack), 'JobsDlq', { enforceSSL: true });
    fn.addEventSource(new SqsEventSource(new sqs.Queue(testOwned(stack), 'Jobs', { enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } })));
    fn.with(new LambdaHardening());
    expect(LambdaHardening.of(fn)).toBeInstanceOf(Object);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Timeout: 3, VpcConfig: Match.anyValue() });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  test('a function in a VPC of its stack, with its own group open to everything: the group is closed, opened to what lets it in, and the fix reported', () => {
    const stack = newStack();
    const vpc = userVpc(stack);
    const fn = plainFunction(stack, 'Open', { vpc, vpcSubnets: ISOLATED });
    const db = new ec2.SecurityGroup(testOwned(stack), 'Database', { vpc, allowAllOutbound: false });
    db.connections.allowFrom(fn, ec2.Port.tcp(5432));
    fn.with(new LambdaHardening());
    const group = fn.connections.securityGroups[0] as ec2.SecurityGroup;
    expect(LambdaHardening.of(fn)?.securityGroup).toBe(group);
    expect(LambdaHardening.of(fn)?.vpc).toBe(vpc);
    const egress = (stack.resolve((group.node.defaultChild as ec2.CfnSecurityGroup).securityGroupEgress) ?? []) as any[];
    expect(egress.filter((r) => r.cidrIp === '0.0.0.0/0')).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: stack.resolve(group.securityGroupId),
      DestinationSecurityGroupId: stack.resolve(db.securityGroupId),
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
    });
    expect(fixesUnder(stack)).toEqual([{ at: 'Test/Open/SecurityGroup', control: 'lambda-unrestricted-egress', change: expect.stringMatching(/closed all outbound traffic .* opened tcp 5432-5432 to the group of/) }]);
  });

  test('a function in a user VPC with closed egress is hardened where it is once the vpc is named', () => {
    const stack = newStack();
    const vpc = userVpc(stack);
    const fn = plainFunction(stack, 'Closed', { vpc, vpcSubnets: ISOLATED, allowAllOutbound: false });
    fn.with(new LambdaHardening({ vpc, vpcSubnets: ISOLATED }));
    const hardened = LambdaHardening.of(fn)!;
    expect(hardened.vpc).toBe(vpc);
    expect(hardened.securityGroup).toBe(fn.connections.securityGroups[0]);
    const subnets = vpc.isolatedSubnets.map((s) => ({ Ref: stack.resolve((s.node.defaultChild as ec2.CfnSubnet).logicalId) }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.arrayWith(subnets), SecurityGroupIds: [{ 'Fn::GetAtt': [stack.resolve((hardened.securityGroup.node.defaultChild as ec2.CfnSecurityGroup).logicalId), 'GroupId'] }] },
    });
  });
});

describe('a hardened function refuses what would undo its hardening', () => {
  test('addFunctionUrl({ authType: NONE }) is refused, naming the function, the prop and the fix; without it the URL uses IAM auth', () => {
    const stack = newStack();
    const fn = plainFunction(stack, 'Fn');
    fn.with(new LambdaHardening());
    const message = refusal(() => fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }));
    expect(message).toContain('Test/Fn: addFunctionUrl authType');
    expect(message).toContain('must be AWS_IAM (rule lambda-url-public');
    expect(message).toContain("got 'NONE'");
    expect(message).toContain('Fix: omit authType (AWS_IAM is the default) and call fn.grantInvokeUrl(principal) for each caller');
    fn.addFunctionUrl();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
  });
});

test('a CfnFunction refuses aliasName (nothing to alias), naming the prop and the fix', () => {
  const stack = newStack();
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const cfn = new lambda.CfnFunction(stack, 'L1', { role: role.roleArn, runtime: 'nodejs24.x', handler: 'index.handler', code: { zipFile: 'x' } });
  expect(() => cfn.with(new LambdaHardening({ aliasName: 'live' }))).toThrow(/LambdaHardening Test\/L1: 'aliasName' needs a lambda\.Function.*drop aliasName/);
});
