import { App, Stack } from 'aws-cdk-lib';
import { LambdaGuardrails, LambdaGuardrailsOptions } from 'cdk-secure-function';

/**
 * What a platform team approves for its workload OU, and who may break the
 * rules: the Lambda extension account the teams use, a break-glass role.
 * The same options render the policies here and as JSON for an SCP pipeline.
 */
export const WORKLOADS: LambdaGuardrailsOptions = {
  // AWS's account of the Lambda Powertools layers the teams use.
  approvedLayerAccounts: ['017000801446'],
  exemptRoles: [{ roleName: 'BreakGlass', reason: 'Incident response, under the break-glass procedure (each use reviewed)' }],
};

/**
 * The organisation's guardrails for Lambda, deployed in the management
 * account: service control policies generated from the rule catalog,
 * attached to the workload OU. Every Lambda API call in its accounts,
 * whatever tool makes it, is held to what the catalog can express in IAM.
 */
export function buildOrgGuardrailsApp(app: App = new App()): { app: App; stack: Stack; guardrails: LambdaGuardrails } {
  const stack = new Stack(app, 'OrgGuardrails', {
    env: { account: '111111111111', region: 'us-east-1' },
    description: 'Lambda guardrails (service control policies) for the workload OU',
  });
  const guardrails = new LambdaGuardrails(stack, 'Lambda', { ...WORKLOADS, targetIds: ['ou-abcd-12345678'] });
  return { app, stack, guardrails };
}

if (require.main === module) {
  // Run directly, the app prints the policies for teams that manage SCPs elsewhere.
  for (const document of LambdaGuardrails.renderPolicies(WORKLOADS)) {
    console.log(JSON.stringify(JSON.parse(document), null, 2));
  }
  buildOrgGuardrailsApp().app.synth();
}
