// The test harness takes three shortcuts to judge the suites' templates faster;
// each gives the verdicts of the way it replaces, shown here on templates that
// have findings and on templates that have none.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CloudFormationValidatePlugin, IPolicyValidationContext, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureFunction } from '../../src';
import { allControlTowerRules, ControlTowerPlugin, controlTowerRulesFor } from '../support/control-tower';
import { minimalProps } from '../support/fixtures';
import { lintByReference, scanTemplate } from '../support/scanners';
import { validationEngine } from '../support/validation-engine';

/** Synthesizes `build` into a fresh folder and returns the template file. */
function templateOf(build: (stack: Stack) => void, env?: { account: string; region: string }): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'harness-')) });
  const stack = new Stack(app, 'Harness', { env });
  build(stack);
  return app.synth().getStackArtifact(stack.artifactId).templateFullPath;
}

/** A plain function with an open API, a public-ish bucket, a queue and a topic: findings under most suites. */
function insecureApp(stack: Stack): void {
  const fn = new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
  new apigw.LambdaRestApi(stack, 'Api', { handler: fn });
  new s3.Bucket(stack, 'Bucket');
  new sqs.Queue(stack, 'Queue');
  new sns.Topic(stack, 'Topic');
  fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
}

/** Synthesized once, judged by every test that asks. */
function once(make: () => string): () => string {
  let template: string | undefined;
  return () => (template ??= make());
}

const TEMPLATES = [
  ['an insecure app (plain function, open API and URL, default bucket, queue and topic)', once(() => templateOf(insecureApp))],
  ['a default SecureFunction', once(() => templateOf((stack) => new SecureFunction(stack, 'Fn', minimalProps())))],
  ['a SecureFunction in a stack with an account and region', once(() => templateOf((stack) => new SecureFunction(stack, 'Fn', minimalProps()), { account: '111111111111', region: 'eu-west-1' }))],
] as const;

const contextOf = (templatePath: string) => ({ templatePaths: [templatePath], stackTemplates: [] } as unknown as IPolicyValidationContext);
const sorted = (report: { violations: unknown[] }) => report.violations.map((v) => JSON.stringify(v)).sort();

describe.each(TEMPLATES)('on %s', (_name, make) => {
  const template = make();

  test('the Control Tower rules chosen by resource type report exactly what all of them report', () => {
    const all = new CfnGuardValidator().validate(contextOf(template));
    const chosen = new ControlTowerPlugin().validate(contextOf(template));
    expect(sorted(chosen)).toEqual(sorted(all));
    expect(chosen.success).toBe(all.success);
  });

  test('cfn-lint with its rules loaded once finds what lint_file finds', () => {
    const region = template.includes('eu-west-1') ? 'eu-west-1' : 'us-east-1';
    const byServer = scanTemplate('cfn-lint', template, region);
    const byReference = lintByReference(template, region);
    expect(byServer.failed.map((f) => JSON.stringify(f)).sort()).toEqual(byReference.failed.map((f) => JSON.stringify(f)).sort());
  });
});

describe('the harness shortcuts are not idle', () => {
  test('the insecure app has Control Tower and cfn-lint findings, and most rule files are left out for it', () => {
    const template = TEMPLATES[0][1]();
    expect(new ControlTowerPlugin().validate(contextOf(template)).violations.length).toBeGreaterThan(3);
    const types = new Set(Object.values<any>(JSON.parse(fs.readFileSync(template, 'utf8')).Resources).map((r) => r.Type));
    expect(controlTowerRulesFor(types).length).toBeLessThan(allControlTowerRules().length / 3);
    expect(lintByReference(template).failed.length).toBeGreaterThan(0);
  });

  test('every file of a worker validates with one engine: CDK\'s default validation uses it', () => {
    const engine = validationEngine();
    expect(engine.name).toBe('CloudFormation Validate');
    // CDK's accessor (a private static of aws-cdk-lib) answers with the worker's engine.
    expect((CloudFormationValidatePlugin as unknown as { _singletonInstance(): unknown })._singletonInstance()).toBe(engine);
    const validate = jest.spyOn(engine, 'validate');
    templateOf((stack) => new sqs.Queue(stack, 'Queue'));
    expect(validate).toHaveBeenCalledTimes(1);
    validate.mockRestore();
  });
});
