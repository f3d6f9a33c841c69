import { Mixins, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LambdaHardening, LambdaRulesAspect } from '../../src';
import { assetsNeeded, assetsPublished, pipelineApp } from '../support/pipeline-app';

// The README's one line, at the end of a CDK Pipelines app: the pipeline has
// synthesized its stages already when the mixin runs.

describe('LambdaHardening on stages CDK Pipelines synthesized early', () => {
  test('hardens the functions of every stage, and the pipeline publishes every asset the hardened stage needs', () => {
    const { app, pipeline, stages } = pipelineApp(['Dev', 'Prod']);
    Mixins.of(app).apply(new LambdaHardening());
    const assembly = app.synth();
    for (const stage of stages) {
      expect(LambdaHardening.of(stage.fn)).toBeInstanceOf(Object);
      const nested = assembly.getNestedAssembly(stage.artifactId);
      const svc = Template.fromJSON(nested.getStackByName((stage.node.findChild('Svc') as Stack).stackName).template);
      svc.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        CodeSigningConfigArn: Match.anyValue(),
        VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
        KmsKeyArn: Match.anyValue(),
      });
      const needed = assetsNeeded(nested);
      expect(needed.length).toBeGreaterThan(1);
      const delivery = Template.fromJSON(assembly.getStackByName(Stack.of(pipeline).stackName).template);
      expect(assetsPublished(delivery)).toEqual(expect.arrayContaining(needed));
    }
  });

  test('with the guard after it, the one-line app has no blocking finding', () => {
    const { app } = pipelineApp(['Dev']);
    Mixins.of(app).apply(new LambdaHardening());
    const aspect = LambdaRulesAspect.applyTo(app);
    app.synth();
    expect(aspect.findings.filter((f) => f.blocking)).toEqual([]);
  });

  test('a pipeline built already is an error that names the stage and the fix, and the stage is left as it was', () => {
    const { app, pipeline, stages } = pipelineApp(['Dev']);
    pipeline.buildPipeline();
    const paths = stages[0].node.findAll().map((c) => c.node.path);
    expect(() => Mixins.of(app).apply(new LambdaHardening())).toThrow(/LambdaHardening on stage 'Dev'.*pipeline \(Pipeline\/Pipeline\) is built already.*Fix: apply LambdaHardening before `Pipeline.buildPipeline\(\)`/s);
    expect(stages[0].node.findAll().map((c) => c.node.path)).toEqual(paths);
    expect(LambdaHardening.of(stages[0].fn)).toBeUndefined();
  });
});
