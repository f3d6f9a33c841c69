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
          {
            Sid: 'ShiftThisAlias',
            Effect: 'Allow',
            Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
            // The alias's ARN from the function's: no Ref to the alias (see the dependency test).
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^FnFunction'), 'Arn'] }, ':live']] },
          },
          { Sid: 'ReadRollbackAlarms', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnAlarmsErrors'), 'Arn'] } },
        ],
      },
    });
  });

  test('deploys: no circle of dependencies between the alias, its update policy, the deployment group and CodeDeploy\'s policy', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES }));
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    // What CloudFormation orders by: DependsOn, and every Ref and GetAtt anywhere in a resource (UpdatePolicy too).
    const edges = new Map(Object.entries(resources).map(([id, resource]) => [id, referencedIds(resource, resources)]));
    expect(findCycle(edges)).toBeUndefined();
  });

  test('needs the errors alarm', () => {
    const stack = newStack();
    expect(() => new SecureFunction(stack, 'Fn', minimalProps({ alarms: false, deploymentConfig: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE })))
      .toThrow(/'deploymentConfig' needs the errors alarm to roll back on, got alarms: false\. Fix: keep alarms on/);
  });
});

function referencedIds(resource: any, resources: Record<string, unknown>): string[] {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      for (const [key, inner] of entries) {
        if (key === 'Ref' && typeof inner === 'string' && inner in resources) found.add(inner);
        if (key === 'Fn::GetAtt' && Array.isArray(inner)) found.add(inner[0] as string);
        walk(inner);
      }
    }
  };
  walk({ Properties: resource.Properties, UpdatePolicy: resource.UpdatePolicy });
  return [...found];
}

function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    if (state.get(id) === 'done') return undefined;
    state.set(id, 'open');
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}
