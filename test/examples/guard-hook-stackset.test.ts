import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GuardHookRollout, hookTemplate } from '../../examples/guard-hook-stackset';
import { runGuard } from '../support/guard-harness';

function rollout(warnOnly?: boolean) {
  const app = new App();
  const stack = new GuardHookRollout(app, 'Rollout', {
    rulesBucketName: 'acme-secure-function-guard-rules',
    organizationId: 'o-abc123def4',
    organizationalUnitIds: ['r-ab12'],
    regions: ['eu-west-1', 'eu-central-1'],
    warnOnly,
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('examples/guard-hook-stackset.ts', () => {
  test('a service-managed StackSet deploys the hook to every account of the OUs, and to accounts that join later', () => {
    const { template } = rollout();
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'] }, Regions: ['eu-west-1', 'eu-central-1'] }],
      Capabilities: ['CAPABILITY_IAM'],
    });
    const stackSet = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0];
    const body = JSON.parse(stackSet.Properties.TemplateBody);
    const hooks = Object.values<any>(body.Resources).filter((r) => r.Type === 'AWS::CloudFormation::GuardHook');
    expect(hooks).toHaveLength(1);
    expect(hooks[0].Properties).toMatchObject({
      FailureMode: 'FAIL',
      RuleLocation: { Uri: 's3://acme-secure-function-guard-rules/secure-function/secure-function.guard' },
      TargetOperations: ['STACK'],
    });
    // Member accounts need not be bootstrapped.
    expect(body.Parameters?.BootstrapVersion).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('cdk-hnb659fds');
  });

  test('warn-only for a first rollout', () => {
    const { template } = rollout(true);
    const body = JSON.parse(Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0].Properties.TemplateBody);
    expect(Object.values<any>(body.Resources).find((r) => r.Type === 'AWS::CloudFormation::GuardHook').Properties.FailureMode).toBe('WARN');
  });

  test('the rules bucket: versioned, TLS-only, readable by principals of the organization only, the rules object only', () => {
    const { template } = rollout();
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'acme-secure-function-guard-rules', VersioningConfiguration: { Status: 'Enabled' } });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'HookRolesOfTheOrganizationReadTheRules',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rules'), 'Arn'] }, '/secure-function/secure-function.guard']] },
          }),
        ]),
      },
    });
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });

  test('the hook template itself passes the rules it deploys', () => {
    expect(runGuard(hookTemplate('acme-secure-function-guard-rules')).failures).toEqual([]);
  });
});
