// Stages CDK synthesized before the library reached them.
//
// CDK synthesizes each Stage on its own, invoking only the Aspects registered
// on the Stage or below it, and keeps the first assembly: every later
// `synth()` returns it unchanged, and one made after the tree changed fails
// (ConstructTreeModifiedAfterSynth). CDK Pipelines synthesizes a Stage the
// moment it is added (`pipeline.addStage(stage)`), before the line that
// guards or hardens the app has run. Such a stage is reached by synthesizing it
// again (`force`), once what the library adds to it is in place, and by telling
// the pipelines that deploy it about the assets the new assembly needs: what a
// pipeline publishes and deploys is then what was judged and hardened.
import { AspectPriority, Aspects, IAspect, Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { IConstruct } from 'constructs';
import { pipelineIsBuilt, synthesizedAssembly } from '../cfn/cdk-internals';
import { invalidInput } from '../cfn/errors';

/** Whether CDK has synthesized `stage` already (its assembly is fixed until synthesized again). */
export function isSynthesized(stage: Stage): boolean {
  return synthesizedAssembly(stage) !== undefined;
}

/**
 * The outermost Stage around `construct` (itself included) that CDK has
 * synthesized already, short of the root: synthesizing it again synthesizes
 * the stages inside it too. Undefined when there is none.
 */
export function synthesizedStageAround(construct: IConstruct): Stage | undefined {
  let found: Stage | undefined;
  for (const scope of construct.node.scopes) {
    if (scope !== construct.node.root && Stage.isStage(scope) && isSynthesized(scope)) {
      found = found ?? scope;
    }
  }
  return found;
}

/** The outermost synthesized stages at or below `scope`, or around it. */
export function synthesizedStagesOf(scope: IConstruct): Stage[] {
  const around = synthesizedStageAround(scope);
  if (around) {
    return [around];
  }
  return scope.node.findAll()
    .filter((c): c is Stage => Stage.isStage(c) && c !== c.node.root && synthesizedStageAround(c) === c);
}

interface Registration {
  readonly scope: IConstruct;
  readonly aspect: IAspect;
  readonly priority: number;
}

const REGISTRATIONS = new WeakMap<IConstruct, Registration[]>();

/**
 * Makes sure `aspect`, added to `scope`, runs on every Stage in it, whenever
 * the Stage was made or synthesized: when the root synthesizes (before its
 * other Aspects: a pipeline builds itself in one), each Stage below `scope`
 * without the aspect gets it, and each Stage synthesized without it (CDK
 * Pipelines', or one made after the aspect was added, which CDK synthesizes
 * before the root's Aspects run) is synthesized again.
 */
export function reachEveryStage(scope: IConstruct, aspect: IAspect, priority: number): void {
  const root = scope.node.root;
  let registrations = REGISTRATIONS.get(root);
  if (!registrations) {
    registrations = [];
    REGISTRATIONS.set(root, registrations);
    const all = registrations;
    Aspects.of(root).add({ visit: (node) => node === root && reachStages(all) }, { priority: AspectPriority.MUTATING });
  }
  registrations.push({ scope, aspect, priority });
}

function reachStages(registrations: readonly Registration[]): void {
  const again = new Set<Stage>();
  for (const { scope, aspect, priority } of registrations) {
    const stages = [scope, ...scope.node.findAll()].filter((c): c is Stage => Stage.isStage(c) && c !== c.node.root);
    for (const stage of stages) {
      if (!Aspects.of(stage).all.includes(aspect)) {
        Aspects.of(stage).add(aspect, { priority });
        const synthesized = synthesizedStageAround(stage);
        if (synthesized) {
          again.add(synthesized);
        }
      }
    }
    for (const stage of synthesizedStagesOf(scope)) {
      again.add(stage);
    }
  }
  for (const stage of again) {
    // A stage inside another one is synthesized again with it.
    if (synthesizedStageAround(stage) === stage) {
      resynthesize(stage);
    }
  }
}

/**
 * Fails, naming the stage and the fix, when a pipeline that deploys `stage`
 * is built already: its list of assets to publish is fixed, and what the
 * library would add to the stage could not be published. Call it before
 * changing the stage, so that a refusal leaves it as it was.
 */
export function assertStageCanChange(stage: Stage, what: string): void {
  for (const pipeline of pipelinesDeploying(stage)) {
    if (pipelineIsBuilt(pipeline)) {
      throw invalidInput(
        `${what} on stage '${stage.node.path}'`,
        `cannot reach a stage whose pipeline (${pipeline.node.path}) is built already: the pipeline's assets and templates are fixed`,
        'a built pipeline',
        `apply ${what} before \`${pipeline.node.id}.buildPipeline()\` (or before \`pipeline.addStage(stage)\`, on the stage)`,
      );
    }
  }
}

/**
 * Synthesizes `stage` again and brings every pipeline that deploys it up to
 * date with the new assembly (the assets each stack needs). Fails, naming the
 * stage, when the new assembly holds other stacks than the one the pipelines
 * were built from.
 */
export function resynthesize(stage: Stage): cxapi.CloudAssembly {
  const before = synthesizedAssembly(stage);
  const after = stage.synth({ force: true });
  if (!before) {
    return after;
  }
  const ids = (assembly: cxapi.CloudAssembly) => assembly.stacksRecursively.map((s) => s.hierarchicalId).sort().join(', ');
  if (ids(before) !== ids(after)) {
    throw invalidInput(
      `Stage '${stage.node.path}'`,
      'must keep the stacks it had when CDK first synthesized it (CDK Pipelines deploys those)',
      `[${ids(before)}] then [${ids(after)}]`,
      'add stacks to the stage before `pipeline.addStage(stage)`',
    );
  }
  for (const pipeline of pipelinesDeploying(stage)) {
    refreshDeployments(pipeline, stage, after);
  }
  return after;
}

/** The pipelines of the app that deploy a stack of `stage`. */
function pipelinesDeploying(stage: Stage): pipelines.PipelineBase[] {
  return stage.node.root.node.findAll()
    .filter((c): c is pipelines.PipelineBase => pipelines.PipelineBase.isPipeline(c))
    .filter((pipeline) => deploymentsOf(pipeline, stage).length > 0);
}

function deploymentsOf(pipeline: pipelines.PipelineBase, stage: Stage): pipelines.StackDeployment[] {
  const prefix = `${stage.node.path}/`;
  return pipeline.waves
    .flatMap((wave) => wave.stages)
    .flatMap((deployment) => deployment.stacks)
    .filter((stack) => stack.constructPath.startsWith(prefix));
}

/**
 * Gives each of the pipeline's deployments of a stack of `stage` the assets
 * of the stack's new artifact, which CDK Pipelines read when they build the
 * pipeline (one publishing step per asset).
 */
function refreshDeployments(pipeline: pipelines.PipelineBase, stage: Stage, assembly: cxapi.CloudAssembly): void {
  const artifacts = new Map(assembly.stacksRecursively.map((a) => [a.id, a] as const));
  for (const deployment of deploymentsOf(pipeline, stage)) {
    const artifact = artifacts.get(deployment.stackArtifactId);
    if (!artifact) {
      continue;
    }
    const fresh = pipelines.StackDeployment.fromArtifact(artifact);
    const same = (a: readonly pipelines.StackAsset[], b: readonly pipelines.StackAsset[]) =>
      a.map((x) => x.assetSelector).sort().join() === b.map((x) => x.assetSelector).sort().join();
    if (same(deployment.assets, fresh.assets)) {
      continue;
    }
    if (pipelineIsBuilt(pipeline)) {
      assertStageCanChange(stage, 'the library');
    }
    (deployment.assets as pipelines.StackAsset[]).splice(0, deployment.assets.length, ...fresh.assets);
  }
}
