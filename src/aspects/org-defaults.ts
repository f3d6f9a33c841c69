import { AspectPriority, CfnResource, IAspect, TagManager, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { addToScopeAndStages } from './stack-aspects';
import { cdkProviderOf } from '../cfn/cdk-providers';
import { fillActiveTracing } from '../cfn/function-settings';
import { EXTERNAL, FunctionView } from '../rules/function-view';

/**
 * Properties of OrgDefaults.
 */
export interface OrgDefaultsProps {
  /**
   * Attach this permissions boundary to every function role of the app that has none.
   *
   * @default - no boundary is added
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * Tags every function carries (a tag the function already has keeps its value).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Retention of a function's own log group that sets none.
   *
   * @default - retention is left as it is
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Turn on active X-Ray tracing where a function says nothing about tracing.
   *
   * @default false
   */
  readonly tracing?: boolean;

  /**
   * The oldest runtime allowed in each family: a function on an older runtime of
   * the same family (nodejs, python, java, dotnet, ruby) is a synthesis error
   * `org-runtime-floor`. Runtimes are not changed: code has to move.
   *
   * @default - no floor
   */
  readonly runtimeFloor?: lambda.Runtime[];
}

const FAMILY_VERSION = /^([a-z]+)(\d+(?:\.\d+)?)/;

/**
 * A mutating Aspect that applies organisation defaults to every Lambda function
 * of an app, whatever construct made it: a permissions boundary, tags, log
 * retention, active tracing, and a runtime floor. It only fills what a function
 * leaves unset and never overwrites a value. Register it with
 * `OrgDefaults.applyTo(app, props)` (priority MUTATING, so that checking Aspects
 * such as LambdaRulesAspect see its result).
 */
export class OrgDefaults implements IAspect {
  /**
   * The id of the error a runtime older than the floor is (`org-runtime-floor`):
   * an organisation setting, not a rule of the catalog.
   */
  public static readonly RUNTIME_FLOOR_CHECK = 'org-runtime-floor';

  /**
   * Adds OrgDefaults to `scope` and every Stage in it, with the MUTATING
   * priority. Call it once the app is built.
   *
   * @param scope usually the app
   * @param props the defaults
   */
  public static applyTo(scope: IConstruct, props: OrgDefaultsProps): OrgDefaults {
    const aspect = new OrgDefaults(props);
    addToScopeAndStages(scope, aspect, AspectPriority.MUTATING);
    return aspect;
  }

  constructor(private readonly props: OrgDefaultsProps) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::Lambda::Function' || cdkProviderOf(node)) {
      return;
    }
    const view = FunctionView.of(node);
    this.applyBoundary(view);
    this.applyTags(node);
    this.applyLogRetention(view);
    if (this.props.tracing) {
      fillActiveTracing(node, view.props.TracingConfig);
    }
    this.checkRuntimeFloor(view);
  }

  private applyBoundary(view: FunctionView): void {
    const role = view.role;
    if (!this.props.permissionsBoundary || role === undefined || role === EXTERNAL || role.properties.PermissionsBoundary !== undefined) {
      return;
    }
    role.resource.addPropertyOverride('PermissionsBoundary', this.props.permissionsBoundary.managedPolicyArn);
  }

  private applyTags(fn: CfnResource): void {
    if (!this.props.tags || !TagManager.isTaggable(fn)) {
      return;
    }
    const existing = fn.tags.tagValues();
    for (const [key, value] of Object.entries(this.props.tags)) {
      if (existing[key] === undefined) {
        fn.tags.setTag(key, value);
      }
    }
  }

  private applyLogRetention(view: FunctionView): void {
    const logGroup = view.logGroup;
    if (this.props.logRetention === undefined || logGroup === undefined || logGroup === EXTERNAL || logGroup.type !== 'AWS::Logs::LogGroup') {
      return;
    }
    if (logGroup.properties.RetentionInDays === undefined && this.props.logRetention !== logs.RetentionDays.INFINITE) {
      logGroup.resource.addPropertyOverride('RetentionInDays', this.props.logRetention);
    }
  }

  private checkRuntimeFloor(view: FunctionView): void {
    const runtime = view.props.Runtime;
    const current = typeof runtime === 'string' ? FAMILY_VERSION.exec(runtime) : null;
    if (!current) {
      return;
    }
    for (const floor of this.props.runtimeFloor ?? []) {
      const minimum = FAMILY_VERSION.exec(floor.name);
      if (minimum && minimum[1] === current[1] && current[2].localeCompare(minimum[2], undefined, { numeric: true }) < 0) {
        Validations.of(view.fn.resource).addError(OrgDefaults.RUNTIME_FLOOR_CHECK,
          `[${OrgDefaults.RUNTIME_FLOOR_CHECK}] Runtime '${runtime}' is older than the organisation's floor '${floor.name}' for ${current[1]}. Fix: move the function to ${floor.name} or newer.`);
      }
    }
  }
}
