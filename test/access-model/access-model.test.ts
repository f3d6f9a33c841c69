import { App, Stack } from 'aws-cdk-lib';
import { buildApiGatewayIamApp } from '../../examples/api-gateway-iam';
import { buildExampleApp } from '../../examples/app';
import { buildOrgGuardApp } from '../../examples/org-guard';
import { buildSecretsInUserVpcApp } from '../../examples/secrets-in-user-vpc';
import { AccessReport, accessModel, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { SCENARIOS } from '../support/scenarios';

/** The figures of every template judged in this file, for the summary at the end. */
const totals = { templates: 0, intended: 0, allowed: 0, negative: 0, denied: 0, deployment: 0 };

/** Runs the model and asserts everything it proves: the one assertion every template here gets. */
async function expectWorking(stack: Stack, problems: Partial<typeof NO_MODEL_PROBLEMS> = {}): Promise<AccessReport> {
  const report = await accessModel(stack);
  totals.templates++;
  totals.intended += report.intended.total;
  totals.allowed += report.intended.allowed;
  totals.negative += report.negative.total;
  totals.denied += report.negative.denied;
  totals.deployment += report.deployment.total;
  expect(modelProblems(report)).toEqual({ ...NO_MODEL_PROBLEMS, ...problems });
  return report;
}

afterAll(() => {
  // The closing figures: intended paths proven allowed, negative ones denied.
  console.log(`access model: ${totals.templates} templates, intended ${totals.allowed}/${totals.intended} allowed, negative ${totals.denied}/${totals.negative} denied, `
    + `${totals.deployment} CloudFormation Lambda requests judged under the guardrails`);
});

describe.each([
  ['an env-agnostic stack', undefined],
  ['a stack of account 111111111111 in eu-west-1', { account: '111111111111', region: 'eu-west-1' }],
])('the access model of every conformance scenario, in %s', (_name, env) => {
  test.each(Object.keys(SCENARIOS))('%s: every wired access allowed, every look-alike denied, every reference known, every grant reachable', async (scenario) => {
    const stack = new Stack(new App(), 'Test', { env });
    SCENARIOS[scenario](stack);
    const report = await expectWorking(stack);
    expect(report.intended.total).toBeGreaterThanOrEqual(25);
    expect(report.negative.total).toBeGreaterThanOrEqual(10);
  });
});

describe('the access model of the examples', () => {
  test.each([
    ['examples/app.ts', () => [buildExampleApp().stack]],
    ['examples/secrets-in-user-vpc.ts', () => [buildSecretsInUserVpcApp().stack]],
    ['examples/api-gateway-iam.ts', () => [buildApiGatewayIamApp().stack]],
  ] as Array<[string, () => Stack[]]>)('%s works as wired', async (_name, build) => {
    for (const stack of build()) {
      await expectWorking(stack);
    }
  });

  test('examples/org-guard.ts: the guardrails refuse its insecure sibling QuickFix (no VPC, unsigned), and only it', async () => {
    const stacks = buildOrgGuardApp().app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    expect(stacks).toHaveLength(1);
    await expectWorking(stacks[0], {
      guardrails: [expect.stringMatching(/^CloudFormation creates function Test-QuickFix\w+ \(QuickFix\w+\): ExplicitlyDenied \(\{"principal":"arn:aws:iam::111111111111:role\/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1","action":"lambda:CreateFunction",.*"context":\{\}\}\)$/)] as any,
    });
  });
});
