import { AspectPriority, Aspects, CfnResource, IAspect, Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { currentProperties } from '../cfn/cdk-internals';
import { cdkProviderOf } from '../cfn/cdk-providers';
import { isNamedHelper, nameHelperFunction } from '../cfn/helper-functions';

/**
 * Names CDK's provider functions (S3 bucket notifications, AwsCustomResource,
 * the custom-resources Provider, log retention, auto-delete...) under a scope
 * as helper functions, `securefn-helper-cdk-<8 hex of its path>-<12 hex of
 * the stack id>`, so that `LambdaGuardrails` lets the deployment role create
 * them outside a VPC and unsigned, as it does the library's own. A function
 * that already has a name keeps it.
 *
 * Opt in on new stacks: a name replaces the function, and CloudFormation
 * refuses to change the service token of a custom resource that exists. For a
 * stack already deployed, deploy it with a role exempted by name instead.
 */
export class HelperFunctionNames implements IAspect {
  /** Names CDK's provider functions under `scope`, once the app is complete. */
  public static applyTo(scope: IConstruct): HelperFunctionNames {
    const aspect = new HelperFunctionNames();
    Aspects.of(scope).add(aspect, { priority: AspectPriority.MUTATING });
    return aspect;
  }

  /** The paths of the functions named, for the audit trail. */
  public readonly named: string[] = [];

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::Lambda::Function' || cdkProviderOf(node) === undefined) {
      return;
    }
    const properties = currentProperties(node) ?? {};
    if (properties.functionName !== undefined || properties.FunctionName !== undefined || isNamedHelper(node)) {
      return;
    }
    nameHelperFunction(node, `cdk-${Names.uniqueResourceName(node, { maxLength: 255 }).slice(-8).toLowerCase()}`);
    this.named.push(node.node.path);
  }
}
