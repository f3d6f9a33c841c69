import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SecureFunction, SecurityBaseline } from '../../src';
import { minimalProps, userVpc } from '../support/fixtures';

function newStack(): Stack {
  return new Stack(new App(), 'Test');
}

describe('SecurityBaseline: the isolated network', () => {
  test('has two AZs of isolated subnets, no NAT, no internet gateway, no public IP', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('logs all traffic to a log group encrypted with the key, through a role with a customer-managed policy', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] }, RetentionInDays: 365 });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('FlowLogsRole') }] });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('creates the flow log only once its role holds its permissions', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResource('AWS::EC2::FlowLog', {
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^SecureFunctionBaselineNetworkFlowLogsRolePolicy')]),
    });
  });

  test('lets only flow logs of this account and region act with the flow log role', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':vpc-flow-log/*']] } },
          },
        }],
      },
    });
  });

  test('closes the default security group', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('is shared by every SecureFunction of the stack', () => {
    const stack = newStack();
    new SecureFunction(stack, 'A', minimalProps());
    new SecureFunction(stack, 'B', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    // two functions, the deploy-time signer and CDK's default-security-group provider
    template.resourceCountIs('AWS::Lambda::Function', 4);
  });

  test('is not created when every function brings its own VPC', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ vpc: userVpc(stack) }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
  });
});

describe('SecurityBaseline: the key', () => {
  test('rotates, and lets kms:CreateGrant through only for AWS resources', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'GrantsOnlyForAwsResources', Effect: 'Allow', Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
          Match.objectLike({ Sid: 'DenyGrantsNotForAwsResources', Effect: 'Deny', Action: 'kms:CreateGrant', Principal: { AWS: '*' } }),
        ]),
      },
    });
  });

  test('gives the account no kms:* and no crypto use outside IAM', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
    const statements = Object.values(keys)[0].Properties.KeyPolicy.Statement as Array<{ Action: string | string[] }>;
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).not.toContain('kms:*');
    const admin = statements.find((s: any) => s.Sid === 'KeyAdministrationByAccount') as { Action: string[] };
    expect(admin.Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
    expect(admin.Action).not.toEqual(expect.arrayContaining(['kms:CreateGrant']));
  });

  test('lets CloudWatch Logs use it only for log groups of this account and region', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudWatchLogsOfThisAccount', Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } } })]) },
    });
  });

  test('lets Lambda encrypt and read code packages of this account\'s functions only, once', () => {
    const stack = newStack();
    new SecureFunction(stack, 'A', minimalProps());
    new SecureFunction(stack, 'B', minimalProps());
    const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
    const statements = Object.values(keys)[0].Properties.KeyPolicy.Statement as Array<{ Sid?: string }>;
    expect(statements.filter((st) => st.Sid === 'LambdaCodePackagesOfThisAccount')).toEqual([{
      Sid: 'LambdaCodePackagesOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringLike: {
          'kms:EncryptionContext:aws:lambda:FunctionArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':function:*']],
          },
        },
      },
    }]);
  });

  test('a key the function brings gets the code-package statement too', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
    new SecureFunction(stack, 'Fn', minimalProps({ encryptionKey: key }));
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'LambdaCodePackagesOfThisAccount', Principal: { Service: 'lambda.amazonaws.com' } })]) },
    });
  });

  test('an imported key, whose policy cannot be changed here, is reported with the statement it needs', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new SecureFunction(stack, 'Fn', minimalProps({ encryptionKey: key }));
    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('kms:EncryptionContext:aws:lambda:FunctionArn'));
  });

  test('can be brought by the user through a baseline created first', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'OrgKey', { enableKeyRotation: true });
    new SecurityBaseline(stack, 'Baseline', { key });
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrgKey'), 'Arn'] } });
  });

  test('refuses a second baseline in one stack', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'One');
    expect(() => new SecurityBaseline(stack, 'Two')).toThrow(/already has a SecurityBaseline/);
  });
});

describe('SecurityBaseline: VPC endpoints', () => {
  test('none when no grant needs one', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  test('one Secrets Manager endpoint for two functions with secrets, reachable on 443 from its client group only', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Db');
    new SecureFunction(stack, 'A', minimalProps({ secrets: { DB_SECRET_ARN: secret } }));
    new SecureFunction(stack, 'B', minimalProps({ secrets: { DB_SECRET_ARN: secret } }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true, ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.secretsmanager']] } });
    const clients = { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineEndpointsSecretsmanagerClients'), 'GroupId'] };
    // One rule pair per service, not per function.
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: clients });
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, GroupId: clients });
    for (const fn of ['A', 'B']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${fn}ServiceRole`), 'Arn'] },
        VpcConfig: Match.objectLike({ SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${fn}SecurityGroup`), 'GroupId'] }, clients] }),
      });
    }
  });

  test('a function calling more than four endpoint services gets rules of its own past Lambda\'s five security groups', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Busy', minimalProps());
    const calls: Array<[string, string]> = [
      ['sqs:SendMessage', 'arn:aws:sqs:eu-west-1:111111111111:orders'],
      ['sns:Publish', 'arn:aws:sns:eu-west-1:111111111111:notices'],
      ['events:PutEvents', 'arn:aws:events:eu-west-1:111111111111:event-bus/orders'],
      ['states:StartExecution', 'arn:aws:states:eu-west-1:111111111111:stateMachine:fulfil'],
      ['kinesis:PutRecord', 'arn:aws:kinesis:eu-west-1:111111111111:stream/clicks'],
    ];
    for (const [action, resource] of calls) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: [action], resources: [resource] }));
    }
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BusyServiceRole'), 'Arn'] } } });
    expect(Object.values(functions)[0].Properties.VpcConfig.SecurityGroupIds).toHaveLength(5);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      Description: 'HTTPS from Test/Busy',
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BusySecurityGroup'), 'GroupId'] },
    });
  });

  test('a function without the grant is not in the client group, so it has no path to the endpoint', () => {
    const stack = newStack();
    new SecureFunction(stack, 'WithSecret', minimalProps({ secrets: { DB_SECRET_ARN: new secretsmanager.Secret(stack, 'Db') } }));
    new SecureFunction(stack, 'Without', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WithoutServiceRole'), 'Arn'] },
      VpcConfig: Match.objectLike({ SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WithoutSecurityGroup'), 'GroupId'] }] }),
    });
  });

  test('function security groups have no open egress', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const groups = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup');
    for (const group of Object.values(groups)) {
      for (const rule of group.Properties.SecurityGroupEgress ?? []) {
        expect(rule.CidrIp).not.toBe('0.0.0.0/0');
        expect(rule.CidrIpv6).toBeUndefined();
      }
    }
  });

  test('none when the user turns them off', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Db');
    new SecureFunction(stack, 'Fn', minimalProps({ secrets: { DB_SECRET_ARN: secret }, createVpcEndpoints: false }));
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });
});

describe('resources per function', () => {
  test('an extra SecureFunction adds at most 17 resources', () => {
    const count = (n: number) => {
      const stack = newStack();
      for (let i = 0; i < n; i++) new SecureFunction(stack, `Fn${i}`, minimalProps());
      return Object.keys(Template.fromStack(stack).toJSON().Resources).length;
    };
    const one = count(1);
    const ten = count(10);
    const marginal = (ten - one) / 9;
    // eslint-disable-next-line no-console
    console.log(`resources: 1 function = ${one}, 10 functions = ${ten}, marginal = ${marginal}`);
    expect(marginal).toBeLessThanOrEqual(17);
  });
});
