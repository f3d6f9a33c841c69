import { PACK_NAME } from './acknowledgments';
import { CATALOG } from './catalog';
import { LambdaRule, RuleSeverity } from './rule';
import { cdkProviderDescriptions } from '../cfn/cdk-providers';

/** Where the generated table sits in README.md. */
export const RULES_TABLE_START = '<!-- rules-table:start (generated from src/rules/catalog.ts by `npx projen rules:readme`) -->';
export const RULES_TABLE_END = '<!-- rules-table:end -->';

function controls(rule: LambdaRule): string {
  const c = rule.controls;
  const parts: string[] = [];
  const add = (label: string, values?: string[]) => {
    if (values?.length) {
      parts.push(`${label} ${values.join(', ')}`);
    }
  };
  add('NIST', c.nist80053);
  add('PCI', c.pciDss);
  add('HIPAA', c.hipaa);
  add('CT', c.controlTower);
  add('SH', c.securityHub);
  return parts.join('; ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The README's table of rules, rendered from the catalog (never hand-edited),
 * followed by the list of CDK provider functions the guard does not judge.
 */
export function renderRulesTable(): string {
  const lines = [
    RULES_TABLE_START,
    '',
    '| Rule | Default | Requires | Why | Fix | Controls |',
    '|---|---|---|---|---|---|',
    ...CATALOG.map((rule) => `| \`${rule.id}\` | ${rule.severity === RuleSeverity.BLOCK ? 'block' : 'warn'} | ${cell(rule.title)} | ${cell(rule.why)} | ${cell(rule.fix)} | ${cell(controls(rule))} |`),
    '',
    `In the cdk-nag pack the ids are \`${PACK_NAME}-<rule>\`. CDK provider functions the guard names and does not judge:`,
    '',
    ...cdkProviderDescriptions().map((d) => `- ${d}`),
    '',
    RULES_TABLE_END,
  ];
  return lines.join('\n');
}
