import { CATALOG } from './catalog';
import { RuleInfo } from './rule';

/**
 * The rule catalog as data, for reports and tools: the rules LambdaRulesAspect,
 * SecureFunctionChecks and the Guard rules file apply.
 */
export class SecureFunctionRules {
  /** Every rule, in catalog order. */
  public static all(): RuleInfo[] {
    return CATALOG.map(({ id, title, severity, why, fix, controls }) => ({ id, title, severity, why, fix, controls }));
  }

  /**
   * One rule by id.
   *
   * @param id the rule id, e.g. 'lambda-inside-vpc'
   */
  public static get(id: string): RuleInfo | undefined {
    return SecureFunctionRules.all().find((rule) => rule.id === id);
  }

  private constructor() {}
}
