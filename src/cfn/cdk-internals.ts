// Every read or write of an aws-cdk-lib member that is not public API, in one
// place. Each is something CDK offers no public way to do (a function's log
// group before it is created, the policies a Role keeps, what a resource will
// render), and each may be renamed by any aws-cdk-lib release: the test of each
// accessor (test/cfn/cdk-internals.test.ts) then fails here, not somewhere in
// the library, and names what moved.
import { CfnElement, CfnResource, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as pipelines from 'aws-cdk-lib/pipelines';

/** The template fragment an element renders, its logical id already known (CfnElement._toCloudFormation). */
export function renderedFragment(element: CfnElement): { readonly Resources?: Record<string, unknown> } {
  return (element as unknown as { _toCloudFormation(): { Resources?: Record<string, unknown> } })._toCloudFormation();
}

/** What `overrideLogicalId` was given, unresolved (CfnElement._logicalIdOverride). */
export function logicalIdOverride(element: CfnElement): unknown {
  return (element as unknown as { _logicalIdOverride?: unknown })._logicalIdOverride;
}

/** Whether a resource is written into the template (CfnResource.shouldSynthesize, protected). */
export function willSynthesize(resource: CfnResource): boolean {
  return (resource as unknown as { shouldSynthesize(): boolean }).shouldSynthesize();
}

/** A resource's properties as it will render them, overrides aside (CfnResource.renderProperties of cfnProperties, protected). */
export function renderedProperties(resource: CfnResource): unknown {
  const inside = resource as unknown as { readonly cfnProperties: unknown; renderProperties(properties: unknown): unknown };
  return inside.renderProperties(inside.cfnProperties);
}

/**
 * A resource's properties as they are now, unrendered and unvalidated
 * (CfnResource.cfnProperties, protected): what its setters were given since.
 */
export function currentProperties(resource: CfnResource): Record<string, unknown> {
  return (resource as unknown as { readonly cfnProperties: Record<string, unknown> }).cfnProperties;
}

/** The properties a resource was created with (CfnResource._cfnProperties), as given. */
export function createdProperties(resource: CfnResource): Record<string, unknown> | undefined {
  return (resource as unknown as { _cfnProperties?: Record<string, unknown> })._cfnProperties;
}

/**
 * The log group a lambda.Function holds for its `logGroup` getter, given or made
 * by CDK (Function._logGroup); undefined until one is.
 */
export function functionLogGroup(fn: lambda.Function): logs.ILogGroup | undefined {
  return (fn as unknown as { _logGroup?: logs.ILogGroup })._logGroup;
}

/** Sets what a lambda.Function's `logGroup` getter answers, so that CDK makes no LogRetention function for it. */
export function setFunctionLogGroup(fn: lambda.Function, group: logs.ILogGroup | undefined): void {
  (fn as unknown as { _logGroup?: logs.ILogGroup })._logGroup = group;
}

/** Sets a lambda.Function's `deadLetterQueue` (readonly, set by CDK at construction only). */
export function setFunctionDeadLetterQueue(fn: lambda.Function, queue: sqs.IQueue | undefined): void {
  (fn as { deadLetterQueue?: sqs.IQueue }).deadLetterQueue = queue;
}

/** Sets the connections of a function's VPC placement (FunctionBase._connections), as its vpc prop would. */
export function setFunctionConnections(fn: lambda.FunctionBase, connections: ec2.Connections): void {
  (fn as unknown as { _connections?: ec2.Connections })._connections = connections;
}

/** The function a SingletonFunction stands for (SingletonFunction.lambdaFunction). */
export function singletonTarget(singleton: lambda.SingletonFunction): lambda.Function {
  return (singleton as unknown as { lambdaFunction: lambda.Function }).lambdaFunction;
}

/** The inline policies given to an iam.Role at construction (Role.inlinePolicies). */
export function roleInlinePolicies(role: iam.Role): Record<string, iam.PolicyDocument> {
  return (role as unknown as { inlinePolicies?: Record<string, iam.PolicyDocument> }).inlinePolicies ?? {};
}

/**
 * The list an iam.Role keeps its managed policies in (Role.managedPolicies): the
 * list itself, so that a caller may take policies out of it.
 */
export function roleManagedPolicies(role: iam.Role): iam.IManagedPolicy[] {
  const attached = (role as unknown as { managedPolicies?: iam.IManagedPolicy[] }).managedPolicies;
  if (!Array.isArray(attached)) {
    throw new Error(`Role ${role.node.path}: the managed policies of iam.Role cannot be read in this aws-cdk-lib version (Role.managedPolicies)`);
  }
  return attached;
}

/** Whether an ec2.SecurityGroup of the app allows all outbound traffic (SecurityGroup.allowAllOutbound). */
export function allowsAllOutbound(group: ec2.SecurityGroup): boolean {
  return (group as unknown as { allowAllOutbound: boolean }).allowAllOutbound;
}

/**
 * The assembly a Stage kept from its first synthesis (Stage.assembly), or
 * undefined while it has not been synthesized. CDK Pipelines synthesizes a
 * Stage when it is added; CDK then returns this assembly to every later synth().
 */
export function synthesizedAssembly(stage: Stage): cxapi.CloudAssembly | undefined {
  return (stage as unknown as { assembly?: cxapi.CloudAssembly }).assembly;
}

/** Whether a pipeline has built its CodePipeline already (PipelineBase.built): its stacks' assets are then fixed. */
export function pipelineIsBuilt(pipeline: pipelines.PipelineBase): boolean {
  return (pipeline as unknown as { built: boolean }).built === true;
}

/**
 * Closes the egress of an ec2.SecurityGroup made with allowAllOutbound (its
 * inline rules: SecurityGroup.allowAllOutbound, directEgressRules and
 * addDefaultEgressRule, which then writes CDK's "Disallow all traffic" rule;
 * IPv6 likewise), so that only rules added from now on open it. Returns false,
 * changing nothing, for a group whose rules are separate resources
 * (disableInlineRules).
 */
export function closeAllOutbound(group: ec2.SecurityGroup): boolean {
  const inside = group as unknown as {
    allowAllOutbound: boolean;
    allowAllIpv6Outbound: boolean;
    disableInlineRules: boolean;
    // A Box of CDK's, not an array: findIndex, splice and length only.
    directEgressRules: {
      readonly length: number;
      findIndex(predicate: (rule: { cidrIp?: string; cidrIpv6?: string; ipProtocol?: string }) => boolean): number;
      splice(start: number, deleteCount: number): unknown;
    };
    addDefaultEgressRule(): void;
  };
  if (inside.disableInlineRules) {
    return false;
  }
  const everything = (rule: { cidrIp?: string; cidrIpv6?: string; ipProtocol?: string }) =>
    rule.ipProtocol === '-1' && (rule.cidrIp === '0.0.0.0/0' || rule.cidrIpv6 === '::/0');
  for (let i = inside.directEgressRules.findIndex(everything); i > -1; i = inside.directEgressRules.findIndex(everything)) {
    inside.directEgressRules.splice(i, 1);
  }
  inside.allowAllOutbound = false;
  inside.allowAllIpv6Outbound = false;
  if (inside.directEgressRules.length === 0) {
    inside.addDefaultEgressRule();
  }
  return true;
}

/** Whether an ec2.SecurityGroup writes its rules inline (SecurityGroup.disableInlineRules unset): closeAllOutbound can close it. */
export function hasInlineRules(group: ec2.SecurityGroup): boolean {
  return (group as unknown as { disableInlineRules: boolean }).disableInlineRules !== true;
}
