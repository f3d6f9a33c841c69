import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { buildCdkPipelineApp, PIPELINE_ENV } from '../../examples/cdk-pipeline';
import { LambdaHardening, SecureFunctionAuditReport } from '../../src';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { conformanceApp, conformanceOfApp } from '../support/conformance';
import { assetsNeeded, assetsPublished } from '../support/pipeline-app';

describe('examples/cdk-pipeline.ts', () => {
  const { app, pipeline, stages, rules } = buildCdkPipelineApp();
  SecureFunctionAuditReport.of(app);
  const assembly = app.synth();
  const delivery = Template.fromJSON(assembly.getStackByName(Stack.of(pipeline).stackName).template);

  test.each(['Dev', 'Prod'])('the %s stage\'s function is hardened in the template the pipeline deploys', (name) => {
    const stage = stages.find((s) => s.node.id === name)!;
    expect(LambdaHardening.of(stage.fn)).toBeInstanceOf(Object);
    const nested = assembly.getNestedAssembly(stage.artifactId);
    Template.fromJSON(nested.getStackByName(`${name}-Orders`).template).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      CodeSigningConfigArn: Match.anyValue(),
      KmsKeyArn: Match.anyValue(),
    });
    // What the pipeline publishes is what the hardened stage needs (the signer's code among it).
    expect(assetsPublished(delivery)).toEqual(expect.arrayContaining(assetsNeeded(nested)));
    delivery.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: Match.arrayWith([Match.objectLike({ Name: name })]),
    });
  });

  test('the guard judges both stages and finds nothing blocking', () => {
    expect(rules.findings.filter((f) => f.blocking)).toEqual([]);
  });

  test('under every suite, the stages have no finding; the access model proves every grant of each stage', async () => {
    const judged = buildCdkPipelineApp(conformanceApp());
    const findings = conformanceOfApp(judged.app, PIPELINE_ENV.region, judged.stages.map((s) => s.node.path));
    expect(findings).toEqual([]);
    // The pipeline's own stack has findings of its own (CDK Pipelines'): the synthesis failed, its assembly is on disk.
    const assemblyJudged = new cxapi.CloudAssembly(judged.app.outdir);
    for (const stage of judged.stages) {
      const stack = stage.node.findChild('Orders') as Stack;
      const template = assemblyJudged.getNestedAssembly(stage.artifactId).getStackByName(stack.stackName).template;
      const report = await accessModel(template, { ...PIPELINE_ENV, stackName: stack.stackName });
      expect(modelProblems(report)).toEqual(NO_MODEL_PROBLEMS);
      expect(report.intended.allowed).toBeGreaterThan(10);
    }
  });

  test('the audit report lists both functions, each hardened and enforced', () => {
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, SecureFunctionAuditReport.JSON_FILE), 'utf8'));
    const service = report.functions.filter((f: any) => f.path.endsWith('/Orders/Handler/Resource'));
    expect(service.map((f: any) => [f.stage, f.kind, f.enforced])).toEqual([
      ['Dev', 'LambdaHardening', true],
      ['Prod', 'LambdaHardening', true],
    ]);
    expect(service.flatMap((f: any) => f.controls.filter((c: any) => c.verdict === 'FAIL'))).toEqual([]);
  });
});
