import { App, Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureFunction, SecureFunctionProps } from '../src';
import { minimalProps, testOwned } from './support/fixtures';
import { DURABLE_ACTIONS } from '../src/hardening/durable-state';

function build(overrides: Partial<SecureFunctionProps>, stack = new Stack(new App(), 'Test')): SecureFunction {
  return new SecureFunction(stack, 'Fn', { ...minimalProps(), ...overrides } as SecureFunctionProps);
}

/** The template of the function's stack, synthesized once. */
const templateOf = (fn: SecureFunction) => Template.fromStack(Stack.of(fn));
const keyOf = (fn: SecureFunction) => Stack.of(fn).resolve((fn.encryptionKey.node.defaultChild as any).logicalId) as string;
const JAVA = { runtime: lambda.Runtime.JAVA_21, handler: 'example.Handler::handleRequest' };

describe('the newer Lambda settings on SecureFunction, secure by default', () => {
  test('snapStart: snapshots of each published version, under the function\'s customer-managed key', () => {
    const fn = build({ ...JAVA, snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS });
    templateOf(fn).hasResourceProperties('AWS::Lambda::Function', {
      SnapStart: { ApplyOn: 'PublishedVersions' },
      KmsKeyArn: { 'Fn::GetAtt': [keyOf(fn), 'Arn'] },
    });
  });

  test('durableConfig: state under the function\'s key, and exactly the checkpoint actions on its own executions', () => {
    const fn = build({ durableConfig: { executionTimeout: Duration.hours(2), retentionPeriod: Duration.days(30) } });
    const template = templateOf(fn);
    const fnId = Stack.of(fn).resolve((fn.function.node.defaultChild as lambda.CfnFunction).logicalId);
    template.hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: 7200, RetentionPeriodInDays: 30, KMSKeyArn: { 'Fn::GetAtt': [keyOf(fn), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Sid: 'CheckpointOwnDurableExecutions',
          Effect: 'Allow',
          Action: [...DURABLE_ACTIONS],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fnId, 'Arn'] }, ':*']] },
        }],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^FnServiceRole') }],
    });
    // No AWS managed policy (CDK attaches AWSLambdaBasicDurableExecutionRolePolicy to roles it creates).
    expect(JSON.stringify(template.toJSON())).not.toContain('AWSLambdaBasicDurableExecutionRolePolicy');
  });

  test('a function that is not durable gets no durable policy', () => {
    templateOf(build({})).resourcePropertiesCountIs('AWS::IAM::ManagedPolicy', { Description: Match.stringLikeRegexp('^Checkpoints of') }, 0);
  });

  test('runtimeManagementMode: FUNCTION_UPDATE is passed on', () => {
    templateOf(build({ runtimeManagementMode: lambda.RuntimeManagementMode.FUNCTION_UPDATE }))
      .hasResourceProperties('AWS::Lambda::Function', { RuntimeManagementConfig: { UpdateRuntimeOn: 'FunctionUpdate' } });
  });

  test('runtimeManagementMode: Manual fails synthesis, naming the rule and the fix, unless acknowledged with a reason', () => {
    const manual = lambda.RuntimeManagementMode.manual('arn:aws:lambda:eu-west-1::runtime:abc');
    const refused = build({ runtimeManagementMode: manual });
    expect(() => Template.fromStack(Stack.of(refused))).toThrow(/'runtimeManagementMode' is Manual \(rule lambda-runtime-updates-manual: .*Fix: leave it unset/);
    const kept = build({ runtimeManagementMode: manual });
    Validations.of(kept).acknowledge({ id: 'lambda-runtime-updates-manual', reason: 'rollback after a runtime regression, ticket 4711' });
    templateOf(kept).hasResourceProperties('AWS::Lambda::Function', { RuntimeManagementConfig: { UpdateRuntimeOn: 'Manual' } });
  });

  test('log levels are passed on with JSON logs; DEBUG warns with the rule', () => {
    const fn = build({ applicationLogLevelV2: lambda.ApplicationLogLevel.DEBUG, systemLogLevelV2: lambda.SystemLogLevel.WARN });
    templateOf(fn).hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'WARN', LogFormat: 'JSON' }),
    });
    Annotations.fromStack(Stack.of(fn)).hasWarning('/Test/Fn', Match.stringLikeRegexp("'applicationLogLevelV2' is DEBUG \\(rule lambda-log-level-verbose\\)"));
    expect(Annotations.fromStack(Stack.of(fn)).findWarning('/Test/Fn', Match.stringLikeRegexp('systemLogLevelV2'))).toHaveLength(0);
  });

  test('ephemeralStorageSize is passed on', () => {
    templateOf(build({ ephemeralStorageSize: Size.gibibytes(2) })).hasResourceProperties('AWS::Lambda::Function', { EphemeralStorage: { Size: 2048 } });
  });

  test('recursiveLoop: Terminate by default; ALLOW is kept as chosen and warned about', () => {
    templateOf(build({})).hasResourceProperties('AWS::Lambda::Function', { RecursiveLoop: 'Terminate' });
    const allowed = build({ recursiveLoop: lambda.RecursiveLoop.ALLOW });
    templateOf(allowed).hasResourceProperties('AWS::Lambda::Function', { RecursiveLoop: 'Allow' });
    Annotations.fromStack(Stack.of(allowed)).hasWarning('/Test/Fn', Match.stringLikeRegexp('rule lambda-recursive-loop-allowed'));
  });

  test('ipv6AllowedForDualStack is passed on and opens no ::/0 egress', () => {
    const fn = build({ ipv6AllowedForDualStack: true });
    const template = templateOf(fn);
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.objectLike({ Ipv6AllowedForDualStack: true }) });
    expect(JSON.stringify(template.findResources('AWS::EC2::SecurityGroup'))).not.toContain('::/0');
    expect(template.findResources('AWS::EC2::SecurityGroupEgress', { Properties: { CidrIpv6: '::/0' } })).toEqual({});
  });

  test('tenancyConfig is passed on; a queue source and a function URL are refused with the reason', () => {
    const fn = build({ tenancyConfig: lambda.TenancyConfig.PER_TENANT });
    const queue = new sqs.Queue(testOwned(Stack.of(fn)), 'Queue');
    expect(() => fn.addEventSource(new sources.SqsEventSource(queue))).toThrow(/'addEventSource' is not offered with tenancyConfig \(tenant isolation takes synchronous invocations with a tenant id only.*got SqsEventSource/);
    expect(() => fn.addFunctionUrl()).toThrow(/'addFunctionUrl' is not offered with tenancyConfig/);
    templateOf(fn).hasResourceProperties('AWS::Lambda::Function', { TenancyConfig: { TenantIsolationMode: 'PER_TENANT' } });
  });
});

describe('the newer settings are checked as Lambda checks them, before anything is built', () => {
  test.each([
    ['SnapStart on a runtime without it', { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS }, /'snapStart' needs a runtime SnapStart supports .*got 'nodejs24.x'/],
    ['SnapStart with tenant isolation', { ...JAVA, snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS, tenancyConfig: lambda.TenancyConfig.PER_TENANT }, /'snapStart' cannot be used with tenancyConfig/],
    ['SnapStart with /tmp above 512 MiB', { ...JAVA, snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS, ephemeralStorageSize: Size.mebibytes(1024) }, /'ephemeralStorageSize' must be at most 512 MiB with snapStart, got 1024 MiB/],
    ['/tmp below 512 MiB', { ephemeralStorageSize: Size.mebibytes(256) }, /'ephemeralStorageSize' must be a whole number of MiB between 512 and 10240 .*got 256 MiB/],
    ['/tmp above 10 GiB', { ephemeralStorageSize: Size.mebibytes(10241) }, /'ephemeralStorageSize'.*got 10241 MiB/],
    ['a durable execution of more than a year', { durableConfig: { executionTimeout: Duration.days(367) } }, /'durableConfig.executionTimeout' must be a whole number of seconds between 1 and 31622400 .*got 31708800 seconds/],
    ['a durable history kept 91 days', { durableConfig: { executionTimeout: Duration.hours(1), retentionPeriod: Duration.days(91) } }, /'durableConfig.retentionPeriod' must be a whole number of days between 1 and 90, got 91 days/],
    ['a durable history of half a day', { durableConfig: { executionTimeout: Duration.hours(1), retentionPeriod: Duration.hours(12) } }, /'durableConfig.retentionPeriod'.*got 0.5 days/],
  ])('%s', (_name, overrides, message) => {
    let error: Error | undefined;
    try {
      build(overrides as Partial<SecureFunctionProps>);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('SecureFunctionValidationError');
    expect(error?.message).toMatch(message);
  });
});
