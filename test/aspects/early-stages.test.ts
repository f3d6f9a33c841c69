import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { LambdaRulesAspect, OrgDefaults } from '../../src';
import { pipelineApp, ServiceStage } from '../support/pipeline-app';

// CDK Pipelines synthesizes a stage when it is added: the app's guard,
// defaults and hardening are applied after that, and must still reach it.

function errorsIn(assembly: cxapi.CloudAssembly): string[] {
  return assembly.stacksRecursively.flatMap((s) => s.messages)
    .filter((m) => m.level === 'error')
    .map((m) => `${/^\[([^\]]+)\]/.exec(String(m.entry.data))?.[1] ?? String(m.entry.data)} ${m.id}`);
}

describe('stages CDK Pipelines synthesized early', () => {
  test('LambdaRulesAspect applied to the app judges the functions of every pipeline stage', () => {
    const { app } = pipelineApp(['Dev', 'Prod']);
    const aspect = LambdaRulesAspect.applyTo(app);
    const assembly = app.synth();
    for (const stage of ['Dev', 'Prod']) {
      expect(errorsIn(assembly.getNestedAssembly(`assembly-${stage}`))).toEqual(expect.arrayContaining([
        `lambda-inside-vpc /${stage}/Svc/Fn/Resource`,
        `lambda-code-signing /${stage}/Svc/Fn/Resource`,
      ]));
    }
    expect(new Set(aspect.findings.filter((f) => f.ruleId === 'lambda-inside-vpc').map((f) => f.resourcePath)))
      .toEqual(new Set(['Dev/Svc/Fn/Resource', 'Prod/Svc/Fn/Resource']));
  });

  test('LambdaRulesAspect applied first, before the app is built, judges the stages made after it', () => {
    const app = new App();
    const aspect = LambdaRulesAspect.applyTo(app);
    pipelineApp(['Dev'], app);
    new ServiceStage(app, 'Later');
    const assembly = app.synth();
    expect(errorsIn(assembly.getNestedAssembly('assembly-Dev'))).toContain('lambda-inside-vpc /Dev/Svc/Fn/Resource');
    expect(errorsIn(assembly.getNestedAssembly('assembly-Later'))).toContain('lambda-inside-vpc /Later/Svc/Fn/Resource');
    expect(new Set(aspect.findings.filter((f) => f.ruleId === 'lambda-inside-vpc').map((f) => f.resourcePath)))
      .toEqual(new Set(['Dev/Svc/Fn/Resource', 'Later/Svc/Fn/Resource']));
  });

  test('OrgDefaults applied to the app reaches a pipeline stage', () => {
    const { app, pipeline, stages } = pipelineApp(['Dev']);
    const boundary = iam.ManagedPolicy.fromManagedPolicyArn(Stack.of(pipeline), 'Boundary', 'arn:aws:iam::111111111111:policy/org-boundary');
    OrgDefaults.applyTo(app, { permissionsBoundary: boundary });
    const svc = stages[0].node.findChild('Svc') as Stack;
    Template.fromJSON(app.synth().getNestedAssembly('assembly-Dev').getStackByName(svc.stackName).template)
      .hasResourceProperties('AWS::IAM::Role', { PermissionsBoundary: 'arn:aws:iam::111111111111:policy/org-boundary' });
  });
});
