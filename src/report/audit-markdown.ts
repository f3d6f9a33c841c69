import { AuditedControl, AuditReportData, ControlVerdict } from './audit-data';

const MARK: Record<ControlVerdict, string> = {
  PASS: 'pass',
  FAIL: '**FAIL**',
  ACKNOWLEDGED: 'acknowledged',
  NOT_APPLICABLE: 'n/a',
  UNRESOLVED: 'unresolved',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report for a reader: what was enforced on each function, the exceptions and why, the mapping. */
export function renderAuditMarkdown(report: AuditReportData): string {
  const { summary } = report;
  const lines = [
    '# Lambda security audit report',
    '',
    `Generated at synthesis by ${report.generatedBy}. Every Lambda function of the app, judged against the ${report.rules.length} rules of the catalog on the synthesized configuration.`,
    '',
    `- Functions: ${summary.functions} (${summary.judged} judged, ${summary.functions - summary.judged} CDK provider functions not judged)`,
    `- Other Lambda resources judged (resource policies, web endpoints and revisions, MicroVM images, capacity providers, event source mappings, layer permissions): ${summary.resources}`,
    `- Not enforced at synthesis (no LambdaRulesAspect reached them; their verdicts blocked nothing): ${summary.unenforced}`,
    `- Failed controls: ${summary.failures}`,
    `- Acknowledged exceptions: ${summary.acknowledgments}`,
    `- Acknowledged rules of other suites (cdk-nag, Control Tower, CloudFormation validation): ${summary.suiteAcknowledgments}`,
    `- Fixes made to the app's own constructs: ${summary.fixes}`,
    '',
    '## Functions',
    '',
    '| Function | Stage | Stack | Kind | Enforced | Pass | Fail | Acknowledged | Not applicable | Unresolved |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...report.functions.map((f) => {
      const count = (v: ControlVerdict) => f.controls.filter((c) => c.verdict === v).length;
      const enforced = f.kind === 'cdk-provider' ? 'n/a' : f.enforced ? 'yes' : f.kind === 'other' ? '**no**' : 'no';
      return `| \`${f.path}\` | ${f.stage || '(app)'} | ${f.stack} | ${f.kind === 'cdk-provider' ? `CDK provider: ${cell(f.provider ?? '')}` : f.kind} | ${enforced} | ${count('PASS')} | ${count('FAIL')} | ${count('ACKNOWLEDGED')} | ${count('NOT_APPLICABLE')} | ${count('UNRESOLVED')} |`;
    }),
    '',
  ];
  for (const f of report.functions.filter((fn) => fn.kind !== 'cdk-provider')) {
    lines.push(`### \`${f.path}\``, '', '| Rule | Verdict | Detail |', '|---|---|---|');
    for (const c of f.controls) {
      lines.push(`| ${c.ruleId} | ${MARK[c.verdict]} | ${detailOf(c)} |`);
    }
    lines.push('');
  }
  if (report.resources.length > 0) {
    lines.push('## Other Lambda resources', '', '| Resource | Type | Stage | Stack | Rule | Verdict | Detail |', '|---|---|---|---|---|---|---|');
    for (const r of report.resources) {
      if (r.unjudged) {
        lines.push(`| \`${r.path}\` | ${r.type} | ${r.stage || '(app)'} | ${r.stack} | (none) | not judged | ${cell(r.unjudged)} |`);
      }
      for (const c of r.controls) {
        lines.push(`| \`${r.path}\` | ${r.type} | ${r.stage || '(app)'} | ${r.stack} | ${c.ruleId} | ${MARK[c.verdict]} | ${detailOf(c)} |`);
      }
    }
    lines.push('');
  }
  const exceptions = [...report.functions, ...report.resources].flatMap((f) => f.controls.filter((c) => c.verdict === 'ACKNOWLEDGED').map((c) => ({ f, c })));
  lines.push('## Acknowledged exceptions', '');
  if (exceptions.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Resource | Rule | Acknowledged at | Reason |', '|---|---|---|---|');
    for (const { f, c } of exceptions) {
      for (const a of c.acknowledgments) {
        lines.push(`| \`${f.path}\` | ${c.ruleId} | \`${a.at}\` | ${cell(a.reason)} |`);
      }
    }
    lines.push('');
  }
  lines.push('## Acknowledged rules of other suites', '');
  if (report.suiteAcknowledgments.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Rule | Acknowledged at | Reason |', '|---|---|---|');
    for (const a of report.suiteAcknowledgments) {
      lines.push(`| ${cell(a.rule)} | \`${a.at}\` | ${cell(a.reason)} |`);
    }
    lines.push('');
  }
  lines.push('## Fixes made to the app\'s own constructs', '');
  if (report.fixes.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Construct | Control | Change |', '|---|---|---|');
    for (const fix of report.fixes) {
      lines.push(`| \`${fix.at}\` | ${cell(fix.control)} | ${cell(fix.change)} |`);
    }
    lines.push('');
  }
  lines.push('## Rules and compliance mapping', '',
    'Every rule is judged at synthesis. Beyond it: **SCP**, prevented on every path by the organisation guardrails (`LambdaGuardrails`); **Hook**, judged at deployment by the Guard Hook (warn rules with `includeWarnRules`); **Config**, detected after deployment by the AWS Config rules named.', '',
    '| Rule | Severity | Title | SCP | Hook | Config | NIST 800-53 R5 | PCI DSS | HIPAA | Control Tower | Security Hub |', '|---|---|---|---|---|---|---|---|---|---|---|');
  const enforcement = new Map(report.enforcement.map((e) => [e.ruleId, e]));
  for (const r of report.rules) {
    const join = (ids?: string[]) => (ids ?? []).join(', ');
    const e = enforcement.get(r.id);
    const scp = e && e.serviceControlPolicy.length > 0 ? `${e.serviceControlPolicy.length} statement${e.serviceControlPolicy.length > 1 ? 's' : ''}` : '';
    const hook = e?.guardHookByDefault ? 'yes' : 'includeWarnRules';
    lines.push(`| ${r.id} | ${r.severity} | ${cell(r.title)} | ${scp} | ${hook} | ${join(e?.awsConfig)} | ${join(r.controls.nist80053)} | ${join(r.controls.pciDss)} | ${join(r.controls.hipaa)} | ${join(r.controls.controlTower)} | ${join(r.controls.securityHub)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** What a verdict says beyond its mark: the problems, and where and why each acknowledged one was let through. */
function detailOf(c: AuditedControl): string {
  return c.verdict === 'ACKNOWLEDGED'
    ? c.acknowledgments.map((a, i) => `${cell(c.problems[i] ?? '')}: acknowledged at \`${a.at}\`: ${cell(a.reason)}`).join('; ')
    : c.problems.map(cell).join('; ');
}
