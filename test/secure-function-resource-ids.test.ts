import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { pinName, pinnedIds, resourceIdsOf } from './support/integration-suite';
import { SCENARIOS } from './support/scenarios';

/*
 * The logical ids and types of everything SecureFunction deploys, pinned
 * (test/fixtures/secure-function-resource-ids.json): a changed construct id
 * replaces a deployed resource. The pins were taken before SecureFunction and
 * LambdaHardening came to share their controls; a change an issue makes on
 * purpose updates them, each named in its commit. The integrations' pins are
 * checked on the templates the integration suite synthesizes
 * (test/conformance/integrations-secure-function.test.ts).
 */

const ENV = { account: '111111111111', region: 'eu-west-1' };

function resourceIds(env: typeof ENV | undefined, build: (stack: Stack) => void): Record<string, string> {
  const app = new App({ context: { ...CURRENTLY_RECOMMENDED_FLAGS } });
  const stack = new Stack(app, 'Conformance', { env });
  build(stack);
  return resourceIdsOf(Template.fromStack(stack).toJSON());
}

describe('SecureFunction keeps the logical id and type of every resource it deployed', () => {
  test.each(Object.keys(SCENARIOS))('scenario %s, environment-agnostic and in an account', (name) => {
    expect(resourceIds(undefined, SCENARIOS[name])).toEqual(pinnedIds(pinName('scn_agn', name)));
    expect(resourceIds(ENV, SCENARIOS[name])).toEqual(pinnedIds(pinName('scn_env', name)));
  });
});
