// The README's Usage snippet, run as it is in TypeScript: the reference the
// language apps' templates are compared with. It runs where the apps run (a
// folder holding dist/orders), with the context they get.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import * as ts from 'typescript';
import { usageSnippet } from '../../scripts/languages/translate';

const ROOT = path.resolve(__dirname, '../..');

/** The template of the README's Usage snippet, synthesized with the context `cdk init` writes. */
export function readmeUsageTemplate(): any {
  return readmeUsage().template;
}

/**
 * The README's Usage snippet synthesized under `plugins` (none by default):
 * its cloud assembly folder and template.
 */
export function readmeUsage(plugins: IPolicyValidationPlugin[] = []): { outdir: string; template: any; error?: Error } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-usage-'));
  fs.mkdirSync(path.join(work, 'dist/orders'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'test/support/handler/index.js'), path.join(work, 'dist/orders/index.js'));
  const source = `${usageSnippet(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))}\nexports.app = app;\n`;
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  // The snippet's imports: the library from its sources, as every test takes it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (name: string) => require(name === 'cdk-secure-function' ? '../../src' : name);
  const saved = { cwd: process.cwd(), outdir: process.env.CDK_OUTDIR, context: process.env.CDK_CONTEXT_JSON };
  process.chdir(work);
  process.env.CDK_OUTDIR = path.join(work, 'cdk.out');
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...CURRENTLY_RECOMMENDED_FLAGS, '@aws-cdk/core:validateAgainstDefaultRules': true });
  try {
    const exported: { app?: App } = {};
    new Function('require', 'exports', js)(load, exported);
    if (plugins.length > 0) Validations.of(exported.app!).addPlugins(...plugins);
    let error: Error | undefined;
    try {
      exported.app!.synth();
    } catch (e) {
      error = e as Error;
    }
    const outdir = path.join(work, 'cdk.out');
    return { outdir, template: JSON.parse(fs.readFileSync(path.join(outdir, 'Orders.template.json'), 'utf8')), error };
  } finally {
    process.chdir(saved.cwd);
    restore('CDK_OUTDIR', saved.outdir);
    restore('CDK_CONTEXT_JSON', saved.context);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
