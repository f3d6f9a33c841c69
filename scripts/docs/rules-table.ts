import { cdkProviderDescriptions } from '../../src/cfn/cdk-providers';
import { PACK_NAME } from '../../src/rules/acknowledgments';
import { CATALOG } from '../../src/rules/catalog';
import { enforcementOf } from '../../src/rules/prevention';
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
    'Paths beyond synthesis: **SCP**, prevented on every path by `LambdaGuardrails` (the Sids of its statements); **Hook**, judged at deployment by `SecureFunctionGuardHook` (warn rules with `includeWarnRules`); **Config**, detected after deployment by the AWS Config rules `SecurityBaseline` deploys with `configRules`.',
    '',
    '| Rule | Default | Requires | Why | Fix | SCP | Hook | Config | Controls |',
    '|---|---|---|---|---|---|---|---|---|',
    ...CATALOG.map((rule) => {
      const paths = enforcementOf(rule);
      const hook = paths.guardHookByDefault ? 'yes' : '`includeWarnRules`';
      return `| \`${rule.id}\` | ${rule.severity === RuleSeverity.BLOCK ? 'block' : 'warn'} | ${cell(rule.title)} | ${cell(rule.why)} | ${cell(rule.fix)} | ${paths.serviceControlPolicy.map((sid) => `\`${sid}\``).join(' ')} | ${hook} | ${paths.awsConfig.map((id) => `\`${id}\``).join(' ')} | ${cell(controls(rule))} |`;
    }),
    '',
    `In the cdk-nag pack the ids are \`${PACK_NAME}-<rule>\`. CDK provider functions \`LambdaRulesAspect\` names and does not judge:`,
    '',
    ...cdkProviderDescriptions().map((d) => `- ${d}`),
  ];
  return lines.join('\n');
}
