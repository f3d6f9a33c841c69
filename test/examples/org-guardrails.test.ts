import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../examples/app';
import { buildOrgGuardApp } from '../../examples/org-guard';
import { buildOrgGuardrailsApp, WORKLOADS } from '../../examples/org-guardrails';
import { LambdaGuardrails } from '../../src';
import { MODEL_ENV } from '../support/access-model/access-model';
import { ResolvedTemplate } from '../support/access-model/cfn-resolver';
import { deploymentRequests } from '../support/access-model/deployment-requests';
import { IamModel } from '../support/access-model/iam-model';

/** Each request CloudFormation makes to deploy `template`, with its decision under the example's guardrails. */
async function underWorkloadGuardrails(template: any): Promise<string[]> {
  const deployed = ResolvedTemplate.of(template, MODEL_ENV);
  const iam = IamModel.of(deployed);
  const scps = LambdaGuardrails.renderPolicies(WORKLOADS).map((document) => JSON.parse(document));
  const out: string[] = [];
  for (const path of deploymentRequests(deployed)) {
    out.push(`${path.request.action} ${path.request.resource.split(':').pop()}: ${await iam.decide(path.request, path.outsideIdentity, scps)}`);
  }
  return out;
}

describe('examples/org-guardrails.ts', () => {
  test('one service control policy for the workload OU, with the exemption\'s reason as a tag', () => {
    const { stack } = buildOrgGuardrailsApp();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['ou-abcd-12345678'],
      Content: JSON.parse(LambdaGuardrails.renderPolicies(WORKLOADS)[0]),
      Tags: [{ Key: 'securefn:exempt:BreakGlass', Value: 'Incident response under the break-glass procedure each use reviewed' }],
    });
  });

  test('the orders app of examples/app.ts deploys under them: every function, permission and helper allowed', async () => {
    const decisions = await underWorkloadGuardrails(Template.fromStack(buildExampleApp().stack).toJSON());
    expect(decisions.filter((d) => d.startsWith('lambda:CreateFunction')).length).toBeGreaterThanOrEqual(3);
    expect(decisions.filter((d) => !d.endsWith(': Allowed'))).toEqual([]);
  });

  test('the insecure sibling of examples/org-guard.ts is refused by them, whatever tool creates it', async () => {
    const { app, stack } = buildOrgGuardApp();
    // The Aspect would stop synthesis: read the template the insecure function leaves.
    const template = app.synth({ validateOnSynthesis: false, force: true }).getStackByName(stack.stackName).template;
    const decisions = await underWorkloadGuardrails(template);
    expect(decisions.filter((d) => !d.endsWith(': Allowed'))).toEqual([expect.stringMatching(/^lambda:CreateFunction \w+-QuickFix\w+: ExplicitlyDenied$/)]);
  });
});
