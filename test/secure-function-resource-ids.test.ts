import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { SecureFunction } from '../src';
import { minimalProps } from './support/fixtures';
import { INTEGRATIONS } from './support/integrations';
import { SCENARIOS } from './support/scenarios';

/**
 * The logical ids and types of everything SecureFunction deploys, pinned: a
 * changed construct id replaces a deployed resource. The pins were taken before
 * SecureFunction and LambdaHardening came to share their controls; a change
 * an issue makes on purpose updates them, each named in its commit.
 */
const PINNED: Record<string, Record<string, string>> = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'secure-function-resource-ids.json'), 'utf8'));

const ENV = { account: '111111111111', region: 'eu-west-1' };

function resourceIds(env: typeof ENV | undefined, build: (stack: Stack) => void): Record<string, string> {
  const app = new App({ context: { ...CURRENTLY_RECOMMENDED_FLAGS } });
  const stack = new Stack(app, 'Conformance', { env });
  build(stack);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  return Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.Type]).sort(([a], [b]) => a.localeCompare(b)));
}

function pinName(prefix: string, name: string): string {
  return `${prefix}_${name}`.replace(/[^A-Za-z0-9]+/g, '_');
}

describe('SecureFunction keeps the logical id and type of every resource it deployed', () => {
  test.each(Object.keys(SCENARIOS))('scenario %s, environment-agnostic and in an account', (name) => {
    expect(resourceIds(undefined, SCENARIOS[name])).toEqual(PINNED[pinName('scn_agn', name)]);
    expect(resourceIds(ENV, SCENARIOS[name])).toEqual(PINNED[pinName('scn_env', name)]);
  });

  test.each(Object.keys(INTEGRATIONS))('integration %s', (name) => {
    expect(resourceIds(undefined, (stack) => INTEGRATIONS[name](stack, new SecureFunction(stack, 'Fn', minimalProps())))).toEqual(PINNED[pinName('int_agn', name)]);
  });
});
