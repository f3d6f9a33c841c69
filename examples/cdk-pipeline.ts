import * as path from 'path';
import { App, Duration, Mixins, Stack, Stage, StageProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { LambdaHardening, LambdaRulesAspect } from 'cdk-secure-function';

/** Where the pipeline deploys from and to. */
export const PIPELINE_ENV = { account: '111111111111', region: 'eu-west-1' };
const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-0000-0000-000000000000';

/**
 * The service as a team writes it with plain CDK: a stack with a
 * lambda.Function, nothing of this library in it.
 */
export class OrdersStage extends Stage {
  public readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: StageProps = {}) {
    super(scope, id, props);
    const stack = new Stack(this, 'Orders');
    this.fn = new lambda.Function(stack, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders')),
      timeout: Duration.seconds(10),
    });
  }
}

/** What the pipeline app holds. */
export interface CdkPipelineApp {
  readonly app: App;
  readonly pipeline: pipelines.CodePipeline;
  readonly stages: OrdersStage[];
  /** The guard, with what it found. */
  readonly rules: LambdaRulesAspect;
}

/**
 * A CDK Pipelines app that deploys the service to Dev and Prod. The pipeline
 * synthesizes each stage when it is added; the two lines at the end still
 * harden and judge every function in them (the stages are synthesized again,
 * and the pipeline publishes what the hardened stages need).
 */
export function buildCdkPipelineApp(app = new App()): CdkPipelineApp {
  const stack = new Stack(app, 'Delivery', { env: PIPELINE_ENV });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('acme/orders', 'main', { connectionArn: CONNECTION_ARN }),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  const stages = ['Dev', 'Prod'].map((name) => {
    const stage = new OrdersStage(app, name, { env: PIPELINE_ENV });
    pipeline.addStage(stage);
    return stage;
  });

  // The one line that hardens every function, and the one that judges them all.
  Mixins.of(app).apply(new LambdaHardening());
  const rules = LambdaRulesAspect.applyTo(app);
  return { app, pipeline, stages, rules };
}

if (require.main === module) {
  buildCdkPipelineApp().app.synth();
}
