import { CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { addGuardSuppressions } from './stack-aspects';
import { cdkProviderOf } from '../cfn/cdk-providers';
import { acknowledgedIds, acknowledgmentIds } from '../rules/acknowledgments';
import { CATALOG } from '../rules/catalog';

/**
 * Writes the acknowledged exceptions into the template, in the form Guard rules
 * honour: `Metadata.guard.SuppressedRules` on each resource lists the catalog
 * rules acknowledged on it or on an ancestor (with
 * `Validations.of(construct).acknowledge({ id, reason })`), and every rule on the
 * provider functions CDK ships (which LambdaRulesAspect does not judge either).
 * The Guard rules file (and so SecureFunctionGuardHook) then gives a synthesized
 * template the verdict LambdaRulesAspect gave the app.
 *
 * SecureFunction adds it to each stack it is used in, and LambdaRulesAspect.applyTo
 * to the scope it guards; call `GuardSuppressions.applyTo(app)` for apps that
 * use neither. Existing `SuppressedRules` entries are kept.
 */
export class GuardSuppressions implements IAspect {
  /**
   * Adds the writer to `scope` and every Stage in it, once.
   *
   * @param scope the app, a stage or a stack
   */
  public static applyTo(scope: IConstruct): void {
    addGuardSuppressions(scope, () => new GuardSuppressions());
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) {
      return;
    }
    const provider = node.cfnResourceType === 'AWS::Lambda::Function' && cdkProviderOf(node) !== undefined;
    const acknowledged = provider ? undefined : acknowledgedIds(node);
    const ids = CATALOG.map((rule) => rule.id).filter((id) => !acknowledged || acknowledgmentIds(id).some((form) => acknowledged.has(form)));
    if (ids.length === 0) {
      return;
    }
    const existing = node.getMetadata('guard') as { SuppressedRules?: unknown } | undefined;
    const kept = Array.isArray(existing?.SuppressedRules) ? existing!.SuppressedRules.filter((id): id is string => typeof id === 'string') : [];
    node.addMetadata('guard', { ...existing, SuppressedRules: [...new Set([...kept, ...ids])].sort() });
  }
}

