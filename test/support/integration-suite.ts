import * as fs from 'fs';
import * as path from 'path';
import { Environment, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HelperFunctionNames, SecureFunction } from '../../src';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from './access-model/access-model';
import { conformanceRun, Finding } from './conformance';
import { minimalProps } from './fixtures';
import { hardenedNodejsFunction } from './hardened';
import { INTEGRATIONS } from './integrations';

/** The functions every integration is wired into. */
export const FUNCTION_KINDS = {
  'a SecureFunction': (stack: Stack): SecureFunction | lambda.Function => new SecureFunction(stack, 'Fn', minimalProps()),
  'a NodejsFunction hardened by LambdaHardening': (stack: Stack): SecureFunction | lambda.Function => hardenedNodejsFunction(stack, 'Fn'),
};

/** The environments each runs in. */
export const ENVIRONMENTS: Record<string, Environment | undefined> = {
  'an environment-agnostic stack': undefined,
  'a stack of account 111111111111 in eu-west-1': { account: '111111111111', region: 'eu-west-1' },
};

/**
 * The logical ids and types of everything SecureFunction deploys with each
 * integration, pinned (test/fixtures): a changed construct id replaces a
 * deployed resource.
 */
const PINNED: Record<string, Record<string, string>> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'secure-function-resource-ids.json'), 'utf8'));

/** The fixture's key for a pinned template. */
export function pinName(prefix: string, name: string): string {
  return `${prefix}_${name}`.replace(/[^A-Za-z0-9]+/g, '_');
}

/** A template's logical ids and their types, sorted by id. */
export function resourceIdsOf(template: { readonly [key: string]: any }): Record<string, string> {
  const resources = Object.entries<{ Type: string }>(template.Resources);
  return Object.fromEntries(resources.map(([id, r]) => [id, r.Type]).sort(([a], [b]) => a.localeCompare(b)));
}

/** The pinned ids and types of a template. */
export function pinnedIds(key: string): Record<string, string> {
  return PINNED[key];
}

function describeFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`);
}

/**
 * Every integration with one kind of function in one environment: zero
 * findings under every suite, every wired access allowed and nothing else, and
 * (with `pinPrefix`) the logical ids of what was deployed kept, read from the
 * same synthesized templates.
 */
export function describeIntegrations(kind: keyof typeof FUNCTION_KINDS, environment: keyof typeof ENVIRONMENTS, pinPrefix?: string): void {
  const make = FUNCTION_KINDS[kind];
  const env = ENVIRONMENTS[environment];
  const totals = { runs: 0, intended: 0, allowed: 0, negative: 0, denied: 0, resources: 0, deployment: 0 };
  const templates = new Map<string, any>();

  afterAll(() => {
    console.log(`integrations with ${kind} in ${environment}: ${totals.runs} runs, intended ${totals.allowed}/${totals.intended} allowed, `
      + `negative ${totals.denied}/${totals.negative} denied, ${totals.deployment} Lambda requests allowed under the guardrails, `
      + `${(totals.resources / Math.max(totals.runs, 1)).toFixed(1)} resources per stack`);
  });

  describe(`every integration with ${kind} in ${environment}`, () => {
    test.each(Object.keys(INTEGRATIONS))('%s: no finding under any suite, every wired access allowed, every grant reachable and nothing else', async (integration) => {
      const { findings, template } = conformanceRun({ recommendedFlags: true, env }, (stack) => {
        INTEGRATIONS[integration](stack, make(stack));
        // As an organisation under LambdaGuardrails does: CDK's helpers (S3 notifications...) named for the deployment role.
        HelperFunctionNames.applyTo(stack);
      });
      templates.set(integration, template);
      const report = await accessModel(template, { account: env?.account ?? '111111111111', region: env?.region ?? 'us-east-1', stackName: 'Conformance' });
      totals.runs++;
      totals.intended += report.intended.total;
      totals.allowed += report.intended.allowed;
      totals.negative += report.negative.total;
      totals.denied += report.negative.denied;
      totals.deployment += report.deployment.total;
      totals.resources += Object.keys(template.Resources).length;
      expect({ findings: describeFindings(findings), ...modelProblems(report) }).toEqual({ findings: [], ...NO_MODEL_PROBLEMS });
      // More than the function's own wiring: the integration's paths are proven too.
      expect(report.intended.total).toBeGreaterThan(50);
    });
  });

  if (pinPrefix) {
    describe(`${kind} keeps the logical id and type of every resource it deployed`, () => {
      test.each(Object.keys(INTEGRATIONS))('integration %s', (integration) => {
        // The template the run above synthesized: ids are read, nothing is synthesized again.
        const template = templates.get(integration);
        expect(template).toBeDefined();
        expect(resourceIdsOf(template)).toEqual(pinnedIds(pinName(pinPrefix, integration)));
      });
    });
  }
}
