import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaHardening } from '../../src';
import { DURABLE_ACTIONS } from '../../src/hardening/durable-state';
import { HANDLER_ASSET, newStack } from '../support/fixtures';

/** The newer settings a function brings, under LambdaHardening: kept, and secured where the setting holds data. */
describe('LambdaHardening and the newer Lambda settings', () => {
  test('a durable lambda.Function: its state under the hardened key, the checkpoint actions on its own executions, no AWS managed policy', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      durableConfig: { executionTimeout: Duration.hours(1) },
    });
    fn.with(new LambdaHardening());
    const template = Template.fromStack(stack);
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    const resolved = stack.resolve(cfn._toCloudFormation()) as any;
    const props = Object.values(resolved.Resources)[0] as any;
    expect(props.Properties.DurableConfig).toEqual({ ExecutionTimeout: 3600, KMSKeyArn: props.Properties.KmsKeyArn });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: [...DURABLE_ACTIONS], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.resolve(cfn.logicalId), 'Arn'] }, ':*']] } })] },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('AWSLambdaBasicDurableExecutionRolePolicy');
  });

  test('SnapStart, log levels, runtime management and RecursiveLoop: the function\'s own choices are kept; SnapStart is under the hardened key', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.JAVA_21,
      handler: 'example.Handler::handleRequest',
      code: lambda.Code.fromAsset(HANDLER_ASSET),
      snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.WARN,
      runtimeManagementMode: lambda.RuntimeManagementMode.FUNCTION_UPDATE,
      recursiveLoop: lambda.RecursiveLoop.ALLOW,
    });
    fn.currentVersion;
    fn.with(new LambdaHardening());
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      SnapStart: { ApplyOn: 'PublishedVersions' },
      KmsKeyArn: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'WARN', LogFormat: 'JSON' }),
      RuntimeManagementConfig: { UpdateRuntimeOn: 'FunctionUpdate' },
      RecursiveLoop: 'Allow',
    });
  });
});
