import { App, Stack } from 'aws-cdk-lib';
import { LambdaGuardrails } from '../../src/guardrails';
import { guardrailStatements } from '../../src/guardrails/guardrail-statements';
import { policyDocuments, SCP_MAX_CHARACTERS } from '../../src/guardrails/policy-documents';

describe('the inputs of the guardrails, refused with the prop, the value and the fix', () => {
  test.each([
    [{ approvedVpcIds: [] }, /^LambdaGuardrails: 'approvedVpcIds' must list at least one value, got \[\]\. Fix: leave it out to approve any$/],
    [{ approvedLayerAccounts: ['12345'] }, /^LambdaGuardrails: 'approvedLayerAccounts' must list 12-digit account ids, got '12345'\. Fix: /],
    [{ approvedPrincipalAccounts: ['*'] }, /^LambdaGuardrails: 'approvedPrincipalAccounts' must list 12-digit account ids, got '\*'/],
    [{ exemptRoles: [{ roleName: 'Ops', reason: 'on call', accounts: ['1'] }] }, /^LambdaGuardrails: 'exemptRoles\[Ops\]\.accounts' must list 12-digit account ids, got '1'/],
    [{ cdkQualifiers: ['*'] }, /^LambdaGuardrails: 'cdkQualifiers' must list bootstrap qualifiers .*, got '\*'\. Fix: give the qualifier/],
    [{ deploymentRoleNames: ['cdk-*'] }, /^LambdaGuardrails: 'deploymentRoleNames' must name a role exactly \(no wildcard\), got 'cdk-\*'/],
  ])('%j', (options, message) => {
    expect(() => guardrailStatements(options)).toThrow(message);
  });

  test('an exempt role in named accounts only is exempt there, and the deployment roles are named by qualifier', () => {
    const { statements } = guardrailStatements({ exemptRoles: [{ roleName: 'ops/BreakGlass', reason: 'incidents', accounts: ['222222222222'] }], cdkQualifiers: ['team1'] });
    const vpc = statements.find((s) => s.sid === 'LambdaInsideVpcFunctionsInsideVpc')!.statement as any;
    expect(vpc.Condition.ArnNotLike['aws:PrincipalArn']).toEqual(['arn:*:iam::222222222222:role/ops/BreakGlass', 'arn:*:iam::*:role/cdk-team1-cfn-exec-role-*']);
    const helpers = statements.find((s) => s.sid === 'LambdaInsideVpcFunctionsInsideVpcExceptHelpers')!.statement as any;
    expect(helpers.Condition.ArnNotLike['aws:PrincipalArn']).toEqual(['arn:*:iam::222222222222:role/ops/BreakGlass']);
    expect(helpers.NotResource).toBe('arn:*:lambda:*:*:function:securefn-helper-*');
  });

  test('without deployment roles there is no helpers\' statement: the helpers are refused like any function', () => {
    const { statements } = guardrailStatements({ cdkQualifiers: [] });
    expect(statements.map((s) => s.sid)).not.toContain('LambdaInsideVpcFunctionsInsideVpcExceptHelpers');
    expect((statements[0].statement as any).Condition).toEqual({ Null: { 'lambda:VpcIds': 'true' } });
  });
});

describe('the policy documents', () => {
  test('a statement that alone exceeds the size of a service control policy is refused, naming it', () => {
    const subnets = Array.from({ length: 250 }, (_, i) => `subnet-${i.toString(16).padStart(17, '0')}`);
    expect(() => policyDocuments(guardrailStatements({ approvedSubnetIds: subnets }).statements))
      .toThrow(new RegExp(`^guardrail statement LambdaPublicSubnetFunctionsInApprovedSubnets alone is \\d+ characters, over the ${SCP_MAX_CHARACTERS} of a service control policy`));
  });

  test('more policies than a target takes beside FullAWSAccess are refused at synthesis', () => {
    const ids = (prefix: string) => Array.from({ length: 150 }, (_, i) => `${prefix}-${i.toString(16).padStart(17, '0')}`);
    const options = { approvedVpcIds: ids('vpc'), approvedSubnetIds: ids('subnet'), approvedSecurityGroupIds: ids('sg') };
    expect(LambdaGuardrails.renderPolicies(options).length).toBeGreaterThan(4);
    expect(() => new LambdaGuardrails(new Stack(new App(), 'Org'), 'G', options))
      .toThrow(/^LambdaGuardrails Org\/G: the guardrails take \d+ service control policies, over the 4 a target can take beside FullAWSAccess/);
  });
});
