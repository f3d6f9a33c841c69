import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Environment, IPolicyValidationPlugin, Stack, Token, Validations } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { ControlTowerPlugin } from './control-tower';
import { ScannerPlugin } from './scanners';
import { SecureFunctionChecks } from '../../src';

/** One finding of one rule suite on one resource. */
export interface Finding {
  readonly suite: string;
  readonly rule: string;
  readonly path: string;
}

/** Resources a test builds for itself (a user VPC, a secret) live under this id; their findings do not count. */
export const TEST_OWNED = 'TestOwned';

export interface ConformanceOptions {
  /** Carry every currently recommended feature flag, as `cdk init` writes them. */
  readonly recommendedFlags: boolean;
  /** The stack's account and region (environment-agnostic when absent). */
  readonly env?: Environment;
}

/**
 * Invoke permissions on a function are judged wherever the integration that
 * asked for them put them (API Gateway puts them beside its methods).
 */
const JUDGED_WHEREVER_THEY_ARE = ['AWS::Lambda::Permission'];

/**
 * Synthesizes an app under the five cdk-nag packs, the Control Tower guard rules,
 * CloudFormation schema validation (warnings as errors), the library's own pack
 * and the scanners, and returns every finding outside TEST_OWNED resources.
 *
 * CloudFormation validation is CDK's own, at synthesis, with the worker's engine
 * (test/support/validation-engine.ts); the context flag makes its findings errors.
 */
export function conformanceFindings(options: ConformanceOptions, build: (stack: Stack) => void): Finding[] {
  return conformanceRun(options, build).findings;
}

/**
 * As conformanceFindings, also returning the template written (judged as is
 * by the access model: synthesizing again would run the suites again).
 */
export function conformanceRun(options: ConformanceOptions, build: (stack: Stack) => void): { findings: Finding[]; template: any } {
  const app = conformanceApp(options.recommendedFlags);
  const outdir = app.outdir;
  const stack = new Stack(app, 'Conformance', { env: options.env });
  build(stack);
  addSuites(app, Token.isUnresolved(stack.region) ? 'us-east-1' : stack.region);
  try {
    app.synth();
  } catch (e) {
    if (!fs.existsSync(path.join(outdir, 'validation-report.json'))) {
      throw e;
    }
  }
  const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stack.artifactId}.template.json`), 'utf8'));
  const judgedAnywhere = new Set(Object.values<any>(template.Resources)
    .filter((r) => JUDGED_WHEREVER_THEY_ARE.includes(r.Type))
    .map((r) => r.Metadata?.['aws:cdk:path']));
  const findings = readReport(outdir).filter((f) => !f.path.split('/').includes(TEST_OWNED) || judgedAnywhere.has(f.path));
  return { template, findings: withoutDuplicates(findings) };
}

/** An app whose synthesis the suites judge: its own outdir, CloudFormation validation findings as errors. */
export function conformanceApp(recommendedFlags = true): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-')),
    context: {
      ...(recommendedFlags ? CURRENTLY_RECOMMENDED_FLAGS : {}),
      '@aws-cdk/core:validateAgainstDefaultRules': true,
    },
  });
}

/**
 * Synthesizes a whole app made with conformanceApp (every stage, pipeline stages
 * included) under every suite, and returns the findings on the constructs under
 * `within` (construct paths, e.g. a pipeline's stages), TEST_OWNED ones aside.
 */
export function conformanceOfApp(app: App, region: string, within: string[]): Finding[] {
  addSuites(app, region);
  try {
    app.synth();
  } catch (e) {
    if (!fs.existsSync(path.join(app.outdir, 'validation-report.json'))) {
      throw e;
    }
  }
  const inside = (p: string) => within.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
  return withoutDuplicates(readReport(app.outdir).filter((f) => inside(f.path) && !f.path.split('/').includes(TEST_OWNED)));
}

function addSuites(app: App, region: string): void {
  const plugins: IPolicyValidationPlugin[] = [
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new ServerlessChecks(app),
    // The library's own catalog, as a cdk-nag pack: SecureFunction must pass it too.
    new SecureFunctionChecks(app),
    new ControlTowerPlugin(),
    // The scanners platform teams run besides: on the same templates, in the same report.
    new ScannerPlugin('cfn-lint', region),
    new ScannerPlugin('checkov'),
  ];
  Validations.of(app).addPlugins(...plugins);
}

/** cfn-guard also reports each violation once without a construct path: keep one. */
function withoutDuplicates(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.suite}|${f.rule}|${f.path}`;
    const duplicate = seen.has(key) || (f.path === '' && findings.some((o) => o !== f && o.rule === f.rule && o.path !== ''));
    seen.add(key);
    return !duplicate;
  });
}

function readReport(outdir: string): Finding[] {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const findings: Finding[] = [];
  for (const pluginReport of report.pluginReports ?? []) {
    for (const violation of pluginReport.violations ?? []) {
      for (const resource of violation.violatingConstructs ?? violation.violatingResources ?? []) {
        findings.push({
          suite: pluginReport.summary?.pluginName ?? pluginReport.pluginName ?? 'unknown',
          rule: violation.ruleName,
          path: resource.constructPath ?? resource.resourceLogicalId ?? '?',
        });
      }
    }
  }
  return findings;
}
