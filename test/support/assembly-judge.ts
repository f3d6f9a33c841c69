// Judges a cloud assembly synthesized elsewhere (the language apps): the
// findings its own synthesis reported, and the template suites run on its
// template file, with what the app acknowledged honoured as CDK honours it.
import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin } from 'aws-cdk-lib';
import { ControlTowerPlugin } from './control-tower';
import { ScannerPlugin } from './scanners';

/** One finding of one suite, by construct path. */
export interface Finding { readonly suite: string; readonly rule: string; readonly path: string }

export const describeFinding = (f: Finding) => `${f.suite}: ${f.rule} at ${f.path}`;

/** Every violation in the app's validation report, with the suite that found it. */
export function reportFindings(outdir: string): Finding[] {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return (report.pluginReports ?? []).flatMap((r: any) => (r.violations ?? []).flatMap((v: any) =>
    (v.violatingConstructs ?? v.violatingResources ?? [])
      .map((c: any) => ({ suite: r.pluginName, rule: v.ruleName, path: c.constructPath ?? c.resourceLogicalId }))));
}

/**
 * The template suites, run on the app's template file as on every other. What
 * the app acknowledged for them (Validations.of(c).acknowledge, recorded in the
 * stack's metadata file as CDK records it) is honoured as CDK honours it in
 * synthesis: for `<plugin>::<rule>`, at the resource's path or an ancestor's.
 */
export function templateFindings(outdir: string, stack = 'Orders', honourAcknowledgments = true): { findings: Finding[]; acknowledged: Finding[] } {
  const templatePath = path.join(outdir, `${stack}.template.json`);
  const { acks, pathOf } = stackMetadata(outdir, stack);
  const plugins: IPolicyValidationPlugin[] = [new ControlTowerPlugin(), new ScannerPlugin('cfn-lint'), new ScannerPlugin('checkov')];
  // Both plugins read the template files only; there is no construct tree to give them out of the app.
  const context = { templatePaths: [templatePath], stackTemplates: [] } as unknown as IPolicyValidationContext;
  const all: Finding[] = plugins.flatMap((plugin) => plugin.validate(context).violations.flatMap((v) =>
    (v.violatingResources ?? []).map((r) => ({
      suite: plugin.name,
      rule: v.ruleName,
      // By construct path, as the in-app suites report.
      path: pathOf.get(r.resourceLogicalId ?? '') ?? r.resourceLogicalId ?? '',
    }))));
  const unique = all.filter((f, i) => all.findIndex((o) => describeFinding(o) === describeFinding(f)) === i);
  const isAcknowledged = (f: Finding) => honourAcknowledgments && (acks.get(`${f.suite}::${f.rule}`) ?? []).some((at) => `/${f.path}` === at || `/${f.path}`.startsWith(`${at}/`));
  return { findings: unique.filter((f) => !isAcknowledged(f)), acknowledged: unique.filter(isAcknowledged) };
}

/** From the stack's metadata as CDK writes it: rule id to the paths acknowledging it, logical id to path. */
function stackMetadata(outdir: string, stack: string): { acks: Map<string, string[]>; pathOf: Map<string, string> } {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const artifact = manifest.artifacts[stack];
  const metadata = artifact.metadata ?? JSON.parse(fs.readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf8'));
  const acks = new Map<string, string[]>();
  const pathOf = new Map<string, string>();
  for (const [at, entries] of Object.entries<any[]>(metadata)) {
    for (const entry of entries) {
      if (entry.type === 'aws:cdk:logicalId') pathOf.set(entry.data, at.slice(1));
      if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
      for (const id of Object.keys(entry.data ?? {})) acks.set(id, [...(acks.get(id) ?? []), at]);
    }
  }
  return { acks, pathOf };
}
