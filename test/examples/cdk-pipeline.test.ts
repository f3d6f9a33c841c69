import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildCdkPipelineApp } from '../../examples/cdk-pipeline';
import { LambdaHardening, SecureFunctionAuditReport } from '../../src';
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
