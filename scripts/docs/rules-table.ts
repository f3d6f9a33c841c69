import { cdkProviderDescriptions } from '../../src/cfn/cdk-providers';
import { PACK_NAME } from '../../src/rules/acknowledgments';
import { CATALOG } from '../../src/rules/catalog';
import { CatalogRule } from '../../src/rules/resource-rule';
import { RuleSeverity } from '../../src/rules/rule';

function controls(rule: CatalogRule): string {
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
 * The table of rules, rendered from the catalog (never hand-edited), followed
 * by the list of CDK provider functions the rules aspect does not judge.
 */
export function renderRulesTable(): string {
  const lines = [
    '| Rule | Default | Requires | Why | Fix | Controls |',
    '|---|---|---|---|---|---|',
    ...CATALOG.map((rule) => `| \`${rule.id}\` | ${rule.severity === RuleSeverity.BLOCK ? 'block' : 'warn'} | ${cell(rule.title)} | ${cell(rule.why)} | ${cell(rule.fix)} | ${cell(controls(rule))} |`),
    '',
    `In the cdk-nag pack the ids are \`${PACK_NAME}-<rule>\`. CDK provider functions \`LambdaRulesAspect\` names and does not judge:`,
    '',
    ...cdkProviderDescriptions().map((d) => `- ${d}`),
  ];
  return lines.join('\n');
}
