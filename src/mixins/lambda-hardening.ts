import { Mixin, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { assertStageCanChange, resynthesize, synthesizedStageAround } from '../aspects/early-stages';
import { singletonTarget } from '../cfn/cdk-internals';
import { cdkProviderOf } from '../cfn/cdk-providers';
import { closestMark, HARDENED_MARK, LIBRARY_FUNCTION_MARK, SECURE_FUNCTION_MARK, setMark } from '../cfn/construct-marks';
import { HardenedFunction } from '../hardening/hardened-function';
import { HardeningOptions } from '../hardening/hardening-options';
import { hardenCfnFunction } from '../hardening/l1-hardening';
import { HardeningResult, hardenAdditions, hardenLambdaFunction } from '../hardening/l2-hardening';

/**
 * Properties of LambdaHardening: the choices SecureFunction offers, with the
 * same names and defaults. Settings the function already has are kept where
 * they are at least as strict (its timeout, memory, reserved concurrency).
 */
export interface LambdaHardeningProps extends HardeningOptions {}

/** What hardening made, by function. */
const HARDENED = new WeakMap<IConstruct, HardeningResult>();

/**
 * A mixin that gives any Lambda function the controls of a SecureFunction,
 * built by the same code, while it keeps its own code and bundling
 * (NodejsFunction's esbuild, GoFunction's go build, a Docker-built image):
 * its own role with a customer-managed policy and no AWS managed policy,
 * private subnets of the stack's isolated VPC (or `vpc`) with egress closed
 * except to the endpoints its grants use, the customer-managed key for its
 * environment, logs, dead letters and code package, JSON logs with retention,
 * a dead-letter queue, reserved concurrency, active tracing, deploy-time
 * signing of its asset under an enforcing code-signing config, a version and
 * an alias, source conditions on every permission, alarms, and its place in
 * the audit report.
 *
 * Apply it to one function with `fn.with(new LambdaHardening())`, or to every
 * function in a scope, once they exist, with
 * `Mixins.of(app).apply(new LambdaHardening())`. A Stage that CDK synthesized
 * already (CDK Pipelines does when it is added) is hardened all at once and
 * synthesized again, and the pipelines that deploy it publish the assets it
 * then needs; a pipeline built already cannot, and is an error. Grants, event sources,
 * permissions, URLs and layers added to a hardened function afterwards are
 * hardened as they are added.
 *
 * Supported: lambda.Function and everything built on it (NodejsFunction,
 * PythonFunction, GoFunction, DockerImageFunction with
 * `allowUnsignedContainerImage`), SingletonFunction, and a CfnFunction whose
 * role is an iam.Role of the app. Left alone: SecureFunctions (already
 * hardened), CDK's own provider functions and this library's deploy-time
 * functions.
 */
export class LambdaHardening extends Mixin {
  /**
   * What LambdaHardening gave `fn`, or undefined when it is not hardened.
   *
   * @param fn a function, a SingletonFunction or a CfnFunction
   */
  public static of(fn: IConstruct): HardenedFunction | undefined {
    return HARDENED.get(fn)?.hardened;
  }

  constructor(private readonly props: LambdaHardeningProps = {}) {
    super();
  }

  /**
   * Whether `construct` is a function this mixin hardens (a lambda.Function,
   * a SingletonFunction or a CfnFunction of its own, not yet hardened, that is
   * not a SecureFunction's, CDK's or this library's), or a Stage CDK has
   * synthesized already, whose functions it hardens at once.
   */
  public supports(construct: IConstruct): boolean {
    if (Stage.isStage(construct)) {
      // Stages CDK synthesized already are hardened as a whole, then synthesized again.
      return synthesizedStageAround(construct) === construct;
    }
    return this.hardens(construct);
  }

  /**
   * Hardens `construct` (see the class documentation). An error names what
   * cannot be hardened and the fix: a container image without
   * `allowUnsignedContainerImage`, an imported role. Inline code is staged as
   * an asset and signed.
   */
  public applyTo(construct: IConstruct): void {
    if (!this.supports(construct)) {
      return;
    }
    if (Stage.isStage(construct)) {
      assertStageCanChange(construct, 'LambdaHardening');
      for (const fn of construct.node.findAll().filter((c) => this.hardens(c))) {
        this.hardenOne(fn);
      }
      resynthesize(construct);
      return;
    }
    const stage = synthesizedStageAround(construct);
    if (stage) {
      assertStageCanChange(stage, 'LambdaHardening');
    }
    this.hardenOne(construct);
    if (stage) {
      resynthesize(stage);
    }
  }

  /**
   * Whether `construct` is a function this mixin hardens: a lambda.Function,
   * a SingletonFunction or a CfnFunction of its own, not yet hardened, that is
   * not a SecureFunction's, CDK's or this library's.
   */
  private hardens(construct: IConstruct): boolean {
    if (HARDENED.has(construct) || insideManagedFunction(construct) || cdkProviderOf(construct) !== undefined) {
      return false;
    }
    if (construct instanceof lambda.SingletonFunction) {
      // The function behind it carries the id CDK gives its providers (AwsCustomResource's).
      const inner = singletonTarget(construct);
      return cdkProviderOf(inner) === undefined;
    }
    if (construct instanceof lambda.Function) {
      return true;
    }
    // A CfnFunction of its own, not the resource of a lambda.Function (that one is hardened through it).
    return construct instanceof lambda.CfnFunction && !(construct.node.scope instanceof lambda.FunctionBase);
  }

  private hardenOne(construct: IConstruct): void {
    if (construct instanceof lambda.SingletonFunction) {
      const inner = singletonTarget(construct);
      const result = HARDENED.get(inner) ?? this.harden(inner);
      HARDENED.set(construct, result);
      hardenAdditions(construct, result);
    } else if (construct instanceof lambda.Function) {
      this.harden(construct);
    } else {
      HARDENED.set(construct, hardenCfnFunction(construct as lambda.CfnFunction, this.props));
      setMark(construct, HARDENED_MARK);
    }
  }

  private harden(fn: lambda.Function): HardeningResult {
    const result = hardenLambdaFunction(fn, this.props);
    HARDENED.set(fn, result);
    setMark(fn, HARDENED_MARK);
    hardenAdditions(fn, result);
    return result;
  }
}


/** Whether `construct` belongs to a SecureFunction or is one of this library's deploy-time functions. */
function insideManagedFunction(construct: IConstruct): boolean {
  return closestMark(construct, [SECURE_FUNCTION_MARK, LIBRARY_FUNCTION_MARK]) !== undefined;
}
