import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { findAcknowledgment, PACK_NAME } from './acknowledgments';
import { CATALOG, FUNCTION_RULES, resourceRulesFor } from './catalog';
import { FunctionView } from './function-view';
import { CatalogRule } from './resource-rule';
import { RuleResult, RuleSeverity } from './rule';
import { cdkProviderOf } from '../cfn/cdk-providers';
import { StackIndex } from '../cfn/stack-index';

/**
 * The rule catalog as a cdk-nag v3 pack: the same rules, the same verdicts as
 * LambdaRulesAspect, reported by cdk-nag's validation plugin.
 *
 * ```ts
 * import { App, Validations } from 'aws-cdk-lib';
 * import { SecureFunctionChecks } from 'cdk-secure-function';
 *
 * const app = new App();
 * Validations.of(app).addPlugins(new SecureFunctionChecks(app));
 * ```
 *
 * Rule ids are `SecureFunction-<catalog id>` (`SecureFunction-lambda-inside-vpc`);
 * an acknowledgment under the catalog id, the pack id or
 * `SecureFunction::SecureFunction-<id>` lets the rule through, as for LambdaRulesAspect.
 */
export class SecureFunctionChecks extends NagPack {
  public readonly name: string = PACK_NAME;
  public readonly ruleIds?: string[] = CATALOG.map((rule) => `${PACK_NAME}-${rule.id}`);
  private readonly seen = new Set<string>();
  private readonly indexes = new Map<Stack, StackIndex>();

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = PACK_NAME;
  }

  /**
   * Validates a construct tree (cdk-nag's entry point for tests and direct use).
   *
   * @param scope the tree to validate
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.seen.clear();
    this.indexes.clear();
    return super.validateScope(scope);
  }

  /**
   * Validates the app of a synthesis (cdk-nag's plugin entry point).
   *
   * @param context the validation context
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.seen.clear();
    this.indexes.clear();
    return super.validate(context);
  }

  protected checkResource(node: CfnResource): void {
    const isFunction = node.cfnResourceType === 'AWS::Lambda::Function';
    const resourceRules = resourceRulesFor(node.cfnResourceType);
    if ((isFunction && cdkProviderOf(node)) || (!isFunction && resourceRules.length === 0)) {
      return;
    }
    const stack = Stack.of(node);
    let index = this.indexes.get(stack);
    if (!index) {
      index = StackIndex.build(stack);
      this.indexes.set(stack, index);
    }
    if (isFunction) {
      const view = FunctionView.of(node, index);
      for (const rule of FUNCTION_RULES) {
        this.applyCatalogRule(rule, rule.check(view), node);
      }
    } else {
      const resource = index.get(index.idOf(node))!;
      for (const rule of resourceRules) {
        this.applyCatalogRule(rule, rule.judge(resource, index), node);
      }
    }
  }

  private applyCatalogRule(rule: CatalogRule, result: RuleResult, node: CfnResource): void {
    if (Array.isArray(result)) {
      for (const violation of result) {
        const key = `${rule.id}|${violation.resource.node.path}`;
        if (this.seen.has(key) || findAcknowledgment(rule.id, violation.resource, node)) {
          continue;
        }
        this.seen.add(key);
        this.applyRule({
          ruleSuffixOverride: rule.id,
          info: `${rule.title}: ${violation.problem}.`,
          explanation: `${rule.why} Fix: ${rule.fix}`,
          level: rule.severity === RuleSeverity.BLOCK ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
          node: violation.resource,
          rule: () => NagRuleCompliance.NON_COMPLIANT,
        });
      }
    }
  }
}
