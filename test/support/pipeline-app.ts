import { App, Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';

/** A service stage as teams write one: a stack with a plain function. */
export class ServiceStage extends Stage {
  public readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: StageProps = {}) {
    super(scope, id, props);
    const stack = new Stack(this, 'Svc');
    this.fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(`${__dirname}/handler`),
    });
  }
}

export interface PipelineApp {
  readonly app: App;
  readonly pipeline: pipelines.CodePipeline;
  readonly stages: ServiceStage[];
}

/**
 * A CDK Pipelines app: a pipeline stack whose CodePipeline deploys one
 * ServiceStage per name. `addStage` synthesizes each stage at once.
 */
export function pipelineApp(stageNames: string[] = ['Dev'], app = new App()): PipelineApp {
  const env = { account: '111111111111', region: 'eu-west-1' };
  const stack = new Stack(app, 'Pipeline', { env });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('acme/service', 'main', {
        connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-0000-0000-000000000000',
      }),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  const stages = stageNames.map((name) => {
    const stage = new ServiceStage(app, name, { env });
    pipeline.addStage(stage);
    return stage;
  });
  return { app, pipeline, stages };
}

/** Every asset a stage's stacks need (templates aside), as `assetId:destination`. */
export function assetsNeeded(assembly: cxapi.CloudAssembly): string[] {
  return assembly.stacksRecursively.flatMap((stack) => assembly.artifacts
    .filter((a): a is cxapi.AssetManifestArtifact => a instanceof cxapi.AssetManifestArtifact && stack.dependencies.includes(a))
    .flatMap((manifest) => {
      const contents = manifest.contents;
      return [
        ...Object.entries(contents.files ?? {})
          .filter(([, file]) => file.source.path !== stack.templateFile)
          .flatMap(([id, file]) => Object.keys(file.destinations).map((d) => `${id}:${d}`)),
        ...Object.entries(contents.dockerImages ?? {}).flatMap(([id, image]) => Object.keys(image.destinations).map((d) => `${id}:${d}`)),
      ];
    }));
}

/** The assets the pipeline's publishing steps publish, as `assetId:destination`. */
export function assetsPublished(pipelineTemplate: Template): string[] {
  return Object.values(pipelineTemplate.findResources('AWS::CodeBuild::Project'))
    .flatMap((project) => JSON.parse(project.Properties.Source.BuildSpec).phases.build.commands as string[])
    .flatMap((command) => [...command.matchAll(/ publish "([^"]+)"/g)].map((m) => m[1]));
}
