import { GuardContext, guardRuleName, unacknowledgedQuery } from './guard-dsl';
import { guardTwinOf } from './twins';
import { CatalogRule, isResourceRule } from '../rules/resource-rule';
import { RuleSeverity } from '../rules/rule';

/** Where the generated file of every rule lives in the package (relative to the package root). */
export const GUARD_RULES_FILE = 'guard/secure-function.guard';

/**
 * The file of the blocking rules only: what a Guard hook enforces by default, so
 * that it refuses exactly what LambdaRulesAspect fails synthesis on (warn-severity
 * rules only warn there).
 */
export const GUARD_BLOCKING_RULES_FILE = 'guard/secure-function-blocking.guard';

/** The generated files and the rules each holds. */
export function guardRulesFiles(catalog: readonly CatalogRule[]): Array<{ file: string; content: string }> {
  return [
    { file: GUARD_RULES_FILE, content: renderGuardRules(catalog) },
    { file: GUARD_BLOCKING_RULES_FILE, content: renderGuardRules(catalog.filter((rule) => rule.severity === RuleSeverity.BLOCK)) },
  ];
}

/**
 * The CloudFormation Guard rules file of the catalog: one Guard rule per catalog
 * rule, same id (as `[id]` at the start of every message; the Guard rule name is
 * the id with `_`), same title and fix, same verdicts on a synthesized template
 * as LambdaRulesAspect gives on the app.
 */
export function renderGuardRules(catalog: readonly CatalogRule[]): string {
  const parts = [
    '#',
    '# SecureFunction rule catalog as CloudFormation Guard rules (cfn-guard 3).',
    '# Generated from src/rules/catalog.ts by `npx projen guard:rules`: do not edit.',
    '#',
    '# Acknowledged exceptions: a resource whose Metadata.guard.SuppressedRules lists a',
    '# rule id is not judged by that rule. SecureFunction writes that metadata for every',
    '# Validations.of(construct).acknowledge({ id, reason }) of a catalog rule, and for',
    '# the provider functions CDK ships.',
    '#',
  ];
  for (const rule of catalog) {
    const name = guardRuleName(rule.id);
    const ctx: GuardContext = {
      name,
      functions: `${name}_functions`,
      message: ['<<', `    ${messageOf(rule)}`, '>>'].join('\n'),
      unacknowledged: (type) => unacknowledgedQuery(type, rule.id),
    };
    parts.push(
      '',
      '#',
      `# ${rule.id} (${rule.severity === RuleSeverity.BLOCK ? 'blocks' : 'warns'}): ${rule.title}`,
      `# Fix: ${rule.fix}`,
      '#',
      // A rule about another Lambda type judges its own resources, functions or not.
      ...(isResourceRule(rule) ? [] : [`let ${ctx.functions} = ${unacknowledgedQuery('AWS::Lambda::Function', rule.id)}`, '']),
      guardTwinOf(rule)(ctx).trim(),
    );
  }
  return parts.join('\n') + '\n';
}

/** The message every failing clause of a rule carries: the same words the Aspect reports. */
function messageOf(rule: CatalogRule): string {
  // Guard messages end at '>>': keep the text free of it.
  return `[${rule.id}] ${rule.title}. Fix: ${rule.fix}`.replace(/>>/g, '> >');
}
