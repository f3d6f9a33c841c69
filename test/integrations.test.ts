import { CloudFormationValidatePlugin, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureFunction } from '../src';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from './support/access-model/access-model';
import { conformanceRun, Finding } from './support/conformance';
import { minimalProps } from './support/fixtures';
import { hardenedNodejsFunction } from './support/hardened';
import { INTEGRATIONS } from './support/integrations';

// One engine per test file: its WASM memory is never given back.
const cfnValidate = new CloudFormationValidatePlugin();

const ENVS = [
  ['an environment-agnostic stack', undefined],
  ['a stack of account 111111111111 in eu-west-1', { account: '111111111111', region: 'eu-west-1' }],
] as const;

/** The closing figures of this file. */
const totals = { runs: 0, intended: 0, allowed: 0, negative: 0, denied: 0, resources: 0 };

afterAll(() => {
  console.log(`integrations: ${totals.runs} runs, intended ${totals.allowed}/${totals.intended} allowed, negative ${totals.denied}/${totals.negative} denied, ${(totals.resources / Math.max(totals.runs, 1)).toFixed(1)} resources per stack`);
});

function describeFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`);
}

/** The functions every integration is wired into: a SecureFunction, and a NodejsFunction hardened by LambdaHardening. */
const FUNCTIONS: ReadonlyArray<readonly [string, (stack: Stack) => SecureFunction | lambda.Function]> = [
  ['a SecureFunction', (stack) => new SecureFunction(stack, 'Fn', minimalProps())],
  ['a NodejsFunction hardened by LambdaHardening', (stack) => hardenedNodejsFunction(stack, 'Fn')],
];

describe.each(FUNCTIONS.flatMap(([fnName, make]) => ENVS.map(([envName, env]) => [`${fnName} in ${envName}`, make, env] as const)))('every integration with %s', (_name, make, env) => {
  test.each(Object.keys(INTEGRATIONS))('%s: no finding under any suite, every wired access allowed, every grant reachable and nothing else', async (integration) => {
    const { findings, template } = conformanceRun(cfnValidate, { recommendedFlags: true, env }, (stack) => {
      INTEGRATIONS[integration](stack, make(stack));
    });
    const report = await accessModel(template, { account: env?.account ?? '111111111111', region: env?.region ?? 'us-east-1', stackName: 'Conformance' });
    totals.runs++;
    totals.intended += report.intended.total;
    totals.allowed += report.intended.allowed;
    totals.negative += report.negative.total;
    totals.denied += report.negative.denied;
    totals.resources += Object.keys(template.Resources).length;
    expect({ findings: describeFindings(findings), ...modelProblems(report) }).toEqual({ findings: [], ...NO_MODEL_PROBLEMS });
    // More than the function's own wiring: the integration's paths are proven too.
    expect(report.intended.total).toBeGreaterThan(50);
  });
});
