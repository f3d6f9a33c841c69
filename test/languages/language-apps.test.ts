// The README's usage example in Python, Java and Go, from the packages CI built
// (dist/, scripts/languages/package.sh) next to aws-cdk-lib and cdk-nag of the
// pinned versions: each app synthesizes under the suites that run in its own
// process (the cdk-nag packs, the catalog pack and CloudFormation validation, in
// its language), then its template is judged here by the template suites
// (Control Tower, cfn-lint, checkov) and the access model, and compared with
// the README's TypeScript run as it is.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { describeFinding, reportFindings, templateFindings } from '../support/assembly-judge';
import { ControlTowerPlugin } from '../support/control-tower';
import { readmeUsage, readmeUsageTemplate } from '../support/readme-usage';

const ROOT = path.resolve(__dirname, '../..');
const versionOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
const LANGUAGES = ['python', 'java', 'go'] as const;

/** The suites each app registers in its own language, by the names their plugins report. */
const IN_APP_SUITES = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless', 'SecureFunction', 'CloudFormation Validate'];

interface AppRun {
  readonly status: number | null;
  readonly output: string;
  readonly outdir: string;
  readonly seconds: number;
}

/** Runs scripts/languages/run-app.sh; `overlay` replaces files of the app (test/languages/fixtures). */
function runApp(language: string, overlay?: string): AppRun {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `language-app-${language}-`));
  const started = Date.now();
  const result = spawnSync('bash', [path.join(ROOT, 'scripts/languages/run-app.sh'), language, work, ...(overlay ? [overlay] : [])], {
    encoding: 'utf8',
    timeout: 25 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, outdir: path.join(work, 'cdk.out'), seconds: (Date.now() - started) / 1000 };
}

describe.each(LANGUAGES)('the README usage example in %s', (language) => {
  let run: AppRun;
  let template: any;

  beforeAll(() => {
    run = runApp(language);
    const file = path.join(run.outdir, 'Orders.template.json');
    template = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  }, 30 * 60_000);

  test('builds from dist/ and synthesizes under the in-app suites of its language', () => {
    if (run.status !== 0 || !template) throw new Error(`the ${language} app failed (${run.status}):\n${run.output.slice(-6000)}`);
    const app = JSON.parse(fs.readFileSync(path.join(run.outdir, 'language-app.json'), 'utf8'));
    expect(app).toEqual({ language, suites: IN_APP_SUITES });
    // The tree says which library versions built it: the package's, next to the pinned aws-cdk-lib.
    const tree = JSON.parse(fs.readFileSync(path.join(run.outdir, 'tree.json'), 'utf8')).tree;
    expect(tree.constructInfo).toEqual({ fqn: 'aws-cdk-lib.App', version: versionOf(path.join(ROOT, 'node_modules/aws-cdk-lib')) });
    expect(tree.children.Orders.children.Orders.constructInfo).toEqual({ fqn: 'cdk-secure-function.SecureFunction', version: versionOf(ROOT) });
    console.log(`${language} app: built and synthesized in ${run.seconds.toFixed(0)} s, ${Object.keys(template.Resources).length} resources`);
  });

  test('zero findings under every suite, in the app and on its template', () => {
    expect(template).toBeDefined();
    const fromTemplate = templateFindings(run.outdir);
    const findings = [...reportFindings(run.outdir), ...fromTemplate.findings];
    expect(findings.map(describeFinding)).toEqual([]);
    const perSuite = (suite: string) => findings.filter((f) => f.suite === suite).length;
    console.log(`${language} app: findings ${[...IN_APP_SUITES, 'cdk-validator-cfnguard', 'cfn-lint', 'checkov'].map((s) => `${s} ${perSuite(s)}`).join(', ')}; `
      + `acknowledged by the library ${fromTemplate.acknowledged.map((f) => f.rule).join(', ')}`);
  });

  test('works as wired: every intended access allowed, every look-alike denied', async () => {
    expect(template).toBeDefined();
    const report = await accessModel(template);
    expect(modelProblems(report)).toEqual(NO_MODEL_PROBLEMS);
    expect(report.intended.total).toBeGreaterThanOrEqual(40);
    console.log(`${language} app: intended ${report.intended.allowed}/${report.intended.total}, negative ${report.negative.denied}/${report.negative.total}`);
  });

  test('gives the template the README\'s TypeScript gives', () => {
    expect(template).toBeDefined();
    expect(template).toEqual(readmeUsageTemplate());
  });
});

describe('the judge of the language apps', () => {
  test('fails an insecure function built in Python, in the app and on its template', () => {
    const run = runApp('python', path.join(__dirname, 'fixtures/python-insecure'));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('ValidationFailed');
    const inApp = reportFindings(run.outdir);
    const rules = new Set([...inApp, ...templateFindings(run.outdir).findings].map((f) => `${f.suite}: ${f.rule}`));
    for (const expected of [
      'AwsSolutions: AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'HIPAA.Security: HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5: NIST.800.53.R5-LambdaConcurrency',
      'SecureFunction: SecureFunction-lambda-code-signing',
      'Serverless: Serverless-LambdaDLQ',
      'checkov: CKV_AWS_117',
      'checkov: CKV_AWS_115',
      'cdk-validator-cfnguard: lambda_inside_vpc_check',
    ]) expect(rules).toContain(expected);
    console.log(`an insecure Python function: ${inApp.length} in-app findings, ${rules.size} distinct rules`);
  }, 10 * 60_000);

  test('honours acknowledgments as CDK does in synthesis: the README in TypeScript is clean under the in-process guard and here alike', () => {
    const inProcess = readmeUsage([new ControlTowerPlugin()]);
    expect(inProcess.error).toBeUndefined();
    expect(reportFindings(inProcess.outdir).map(describeFinding)).toEqual([]);
    const here = templateFindings(inProcess.outdir);
    expect(here.findings.map(describeFinding)).toEqual([]);
    // What the library acknowledged is found without them: the check has something to honour.
    const withoutAcknowledgments = templateFindings(inProcess.outdir, 'Orders', false).findings.filter((f) => f.suite === 'cdk-validator-cfnguard');
    expect(withoutAcknowledgments.map((f) => f.rule).sort()).toEqual(here.acknowledged.map((f) => f.rule).sort());
    expect(withoutAcknowledgments.length).toBeGreaterThan(0);
  });
});
