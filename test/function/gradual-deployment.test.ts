import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { SecureFunction } from '../../src';
import { minimalProps, newStack } from '../support/fixtures';

describe('gradual deployment', () => {
  test('is off by default: the alias takes each new version at once', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
  });

  test('shifts the alias with the chosen config and rolls back on the errors alarm', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ deploymentConfig: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: Match.stringLikeRegexp('^FnAlarmsErrors') } }] },
      AutoRollbackConfiguration: { Enabled: true, Events: Match.arrayWith(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']) },
    });
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.objectLike({ DeploymentGroupName: { Ref: Match.stringLikeRegexp('^FnDeploymentGroup') } }) },
    });
  });

  test('CodeDeploy\'s role holds exactly this alias and this alarm, and no AWS managed policy', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'codedeploy.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^FnDeploymentServiceRole') }],
      PolicyDocument: {
        Statement: [
          { Sid: 'ShiftThisAlias', Effect: 'Allow', Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'], Resource: { Ref: Match.stringLikeRegexp('^FnAlias') } },
          { Sid: 'ReadRollbackAlarms', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnAlarmsErrors'), 'Arn'] } },
        ],
      },
    });
  });

  test('needs the errors alarm', () => {
    const stack = newStack();
    expect(() => new SecureFunction(stack, 'Fn', minimalProps({ alarms: false, deploymentConfig: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE })))
      .toThrow(/'deploymentConfig' needs the errors alarm to roll back on, got alarms: false\. Fix: keep alarms on/);
  });
});
