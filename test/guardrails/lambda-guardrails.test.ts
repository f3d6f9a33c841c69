import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaGuardrails, LambdaGuardrailsOptions } from '../../src/guardrails';
import { MODEL_ENV } from '../support/access-model/access-model';
import { ResolvedTemplate } from '../support/access-model/cfn-resolver';
import { AccessRequest, Decision, IamModel, PolicyDoc } from '../support/access-model/iam-model';
import { ADMIN } from '../support/access-model/path-list';

const ACCOUNT = '111111111111';
const OTHER = '999999999999';
const LAYER_ACCOUNT = '222222222222';
const PRINCIPAL_ACCOUNT = '333333333333';
const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const CDK = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`;
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/BreakGlass`;
const VPC = 'vpc-0a1b2c3d4e5f60718';
const SUBNET_A = 'subnet-0a1b2c3d4e5f60718';
const SUBNET_B = 'subnet-0b1b2c3d4e5f60718';
const SG = 'sg-0a1b2c3d4e5f60718';
const CSC = `arn:aws:lambda:us-east-1:${ACCOUNT}:code-signing-config:csc-0123456789abcdef0`;
const CAPACITY_PROVIDER = `arn:aws:lambda:us-east-1:${ACCOUNT}:capacity-provider:fleet`;
const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const layer = (account: string) => `arn:aws:lambda:us-east-1:${account}:layer:shared:3`;

/** Every list approved, one role exempt. */
const LOADED: LambdaGuardrailsOptions = {
  approvedVpcIds: [VPC],
  approvedSubnetIds: [SUBNET_A, SUBNET_B],
  approvedSecurityGroupIds: [SG],
  approvedCodeSigningConfigArns: ['arn:aws:lambda:*:*:code-signing-config:csc-0123*'],
  approvedLayerAccounts: [LAYER_ACCOUNT],
  approvedPrincipalAccounts: [PRINCIPAL_ACCOUNT],
  exemptRoles: [{ roleName: 'BreakGlass', reason: 'incident response, reviewed weekly' }],
};

const DEFAULT_SIDS = [
  'LambdaInsideVpcFunctionsInsideVpc',
  'LambdaInsideVpcFunctionsInsideVpcExceptHelpers',
  'LambdaInvokePublicPermissionsForApprovedPrincipals',
  'LambdaUrlPublicFunctionUrlsWithIamAuth',
  'LambdaUrlPublicNoPublicFunctionUrlPermissions',
  'LambdaResourcePolicyOpenResourcePoliciesForApprovedPrincipals',
  'LambdaCodeSigningFunctionsWithCodeSigning',
  'LambdaCodeSigningFunctionsWithCodeSigningExceptHelpers',
  'LambdaCodeSigningCodeSigningStays',
  'LambdaCodeSigningLayersFromApprovedAccounts',
];

const LOADED_SIDS = [
  'LambdaInsideVpcFunctionsInsideVpc',
  'LambdaInsideVpcFunctionsInsideVpcExceptHelpers',
  'LambdaInsideVpcFunctionsInApprovedVpcs',
  'LambdaPublicSubnetFunctionsInApprovedSubnets',
  'LambdaUnrestrictedEgressFunctionsWithApprovedSecurityGroups',
  'LambdaCapacityProviderSubnetsCapacityProvidersInApprovedSubnets',
  'LambdaInvokePublicPermissionsForApprovedPrincipals',
  'LambdaUrlPublicFunctionUrlsWithIamAuth',
  'LambdaUrlPublicNoPublicFunctionUrlPermissions',
  'LambdaResourcePolicyOpenResourcePoliciesForApprovedPrincipals',
  'LambdaCodeSigningFunctionsWithCodeSigning',
  'LambdaCodeSigningFunctionsWithCodeSigningExceptHelpers',
  'LambdaCodeSigningApprovedCodeSigningConfigs',
  'LambdaCodeSigningCodeSigningStays',
  'LambdaCodeSigningLayersFromApprovedAccounts',
];

type Context = Record<string, string | string[] | undefined>;

/** A request; keys set to undefined are left out. */
const req = (principal: string, action: string, resource: string, context: Context = {}): AccessRequest => ({
  principal,
  action,
  resource,
  context: Object.fromEntries(Object.entries(context).filter((e): e is [string, string | string[]] => e[1] !== undefined)),
});

/** Every setting a function in the approved network, signed: what `change` overrides. */
const SETTINGS: Context = { 'lambda:VpcIds': VPC, 'lambda:SubnetIds': [SUBNET_A], 'lambda:SecurityGroupIds': [SG], 'lambda:CodeSigningConfigArn': CSC };
const NO_VPC: Context = { 'lambda:VpcIds': undefined, 'lambda:SubnetIds': undefined, 'lambda:SecurityGroupIds': undefined };
const NO_CSC: Context = { 'lambda:CodeSigningConfigArn': undefined };
const configure = (action: string, principal: string, name: string, change: Context = {}) =>
  req(principal, action, fn(name), { ...SETTINGS, ...change });

interface Case { readonly allowed: AccessRequest[]; readonly denied: AccessRequest[] }

/**
 * For each Sid, requests the guardrails under `options` must allow and
 * requests that statement (and it alone) must refuse, for one of its actions.
 */
function casesFor(options: LambdaGuardrailsOptions): Record<string, (action: string) => Case> {
  const principals = (action: string, extra: Context = {}): Case => ({
    allowed: ['s3.amazonaws.com', ACCOUNT, `arn:aws:iam::${ACCOUNT}:role/Caller`, ...(options.approvedPrincipalAccounts ?? [])]
      .map((p) => req(DEVELOPER, action, fn('orders'), { 'lambda:Principal': p, ...extra })),
    denied: ['*', OTHER, `arn:aws:iam::${OTHER}:root`, ...(options.approvedPrincipalAccounts ? [] : [PRINCIPAL_ACCOUNT])]
      .map((p) => req(DEVELOPER, action, fn('orders'), { 'lambda:Principal': p, ...extra })),
  });
  const outside = (key: string, good: string[], bad: string[]) => (action: string): Case => ({
    allowed: [configure(action, DEVELOPER, 'orders', { [key]: good })],
    denied: [configure(action, DEVELOPER, 'orders', { [key]: bad })],
  });
  return {
    LambdaInsideVpcFunctionsInsideVpc: (a) => ({
      allowed: [configure(a, DEVELOPER, 'orders'), configure(a, CDK, 'securefn-helper-x', { ...NO_VPC, ...NO_CSC })],
      denied: [configure(a, DEVELOPER, 'securefn-helper-x', NO_VPC)],
    }),
    LambdaInsideVpcFunctionsInsideVpcExceptHelpers: (a) => ({
      allowed: [configure(a, CDK, 'securefn-helper-x', NO_VPC), configure(a, CDK, 'orders')],
      denied: [configure(a, CDK, 'orders', NO_VPC)],
    }),
    LambdaInsideVpcFunctionsInApprovedVpcs: (a) => ({
      allowed: [configure(a, DEVELOPER, 'orders')],
      denied: [configure(a, DEVELOPER, 'orders', { 'lambda:VpcIds': 'vpc-0fffffffffffffff0' })],
    }),
    LambdaPublicSubnetFunctionsInApprovedSubnets: outside('lambda:SubnetIds', [SUBNET_A, SUBNET_B], [SUBNET_A, 'subnet-0fffffffffffffff0']),
    LambdaUnrestrictedEgressFunctionsWithApprovedSecurityGroups: outside('lambda:SecurityGroupIds', [SG], [SG, 'sg-0fffffffffffffff0']),
    LambdaCapacityProviderSubnetsCapacityProvidersInApprovedSubnets: (a) => ({
      allowed: [req(DEVELOPER, a, CAPACITY_PROVIDER, { 'lambda:SubnetIds': [SUBNET_A, SUBNET_B], 'lambda:SecurityGroupIds': [SG] })],
      denied: [req(DEVELOPER, a, CAPACITY_PROVIDER, { 'lambda:SubnetIds': [SUBNET_A, 'subnet-0fffffffffffffff0'], 'lambda:SecurityGroupIds': [SG] })],
    }),
    LambdaInvokePublicPermissionsForApprovedPrincipals: (a) => principals(a),
    LambdaUrlPublicFunctionUrlsWithIamAuth: (a) => ({
      allowed: [req(DEVELOPER, a, fn('orders'), { 'lambda:FunctionUrlAuthType': 'AWS_IAM' })],
      denied: [req(DEVELOPER, a, fn('orders'), { 'lambda:FunctionUrlAuthType': 'NONE' })],
    }),
    LambdaUrlPublicNoPublicFunctionUrlPermissions: (a) => ({
      allowed: [req(DEVELOPER, a, fn('orders'), { 'lambda:Principal': ACCOUNT, 'lambda:FunctionUrlAuthType': 'AWS_IAM' })],
      denied: [req(DEVELOPER, a, fn('orders'), { 'lambda:Principal': ACCOUNT, 'lambda:FunctionUrlAuthType': 'NONE' })],
    }),
    LambdaResourcePolicyOpenResourcePoliciesForApprovedPrincipals: (a) => principals(a),
    LambdaCodeSigningFunctionsWithCodeSigning: (a) => ({
      allowed: [configure(a, DEVELOPER, 'orders'), configure(a, CDK, 'securefn-helper-x', NO_CSC)],
      denied: [configure(a, DEVELOPER, 'securefn-helper-x', NO_CSC)],
    }),
    LambdaCodeSigningFunctionsWithCodeSigningExceptHelpers: (a) => ({
      allowed: [configure(a, CDK, 'securefn-helper-x', NO_CSC), configure(a, CDK, 'orders')],
      denied: [configure(a, CDK, 'orders', NO_CSC)],
    }),
    LambdaCodeSigningApprovedCodeSigningConfigs: (a) => ({
      allowed: [configure(a, DEVELOPER, 'orders')],
      denied: [configure(a, DEVELOPER, 'orders', { 'lambda:CodeSigningConfigArn': `arn:aws:lambda:us-east-1:${ACCOUNT}:code-signing-config:csc-0999999999999999a` })],
    }),
    LambdaCodeSigningCodeSigningStays: (a) => ({
      // Only the removal is refused: reading the config is not.
      allowed: [req(DEVELOPER, 'lambda:GetFunctionCodeSigningConfig', fn('orders'))],
      denied: [req(DEVELOPER, a, fn('orders'))],
    }),
    LambdaCodeSigningLayersFromApprovedAccounts: (a) => ({
      allowed: [ACCOUNT, ...(options.approvedLayerAccounts ?? [])].map((account) => configure(a, DEVELOPER, 'orders', { 'lambda:Layer': [layer(ACCOUNT), layer(account)] })),
      denied: [OTHER, ...(options.approvedLayerAccounts ? [] : [LAYER_ACCOUNT])].map((account) => configure(a, DEVELOPER, 'orders', { 'lambda:Layer': [layer(ACCOUNT), layer(account)] })),
    }),
  };
}

/** The model: an empty stack's template, so every principal is outside it (a developer or the deployer, administrators). */
const iam = IamModel.of(ResolvedTemplate.of({ Resources: {} }, MODEL_ENV));
const decide = (request: AccessRequest, scps: PolicyDoc[]): Promise<Decision> => iam.decide(request, [ADMIN], scps);
const parse = (documents: string[]): PolicyDoc[] => documents.map((d) => JSON.parse(d));
const label = (r: AccessRequest, verdict: string) => `${r.principal.split('/').pop()} ${r.action} ${r.resource.split(':').pop()} ${JSON.stringify(r.context)}: ${verdict}`;

describe.each([
  ['the default guardrails', {} as LambdaGuardrailsOptions, DEFAULT_SIDS],
  ['a fully loaded option set', LOADED, LOADED_SIDS],
])('%s, proven with the access model', (_name, options, sids) => {
  const documents = parse(LambdaGuardrails.renderPolicies(options));
  const without = (sid: string) => documents.map((d) => ({ ...d, Statement: (d.Statement as any[]).filter((s) => s.Sid !== sid) }));
  const cases = casesFor(options);

  test('render exactly these statements, in catalog order', () => {
    expect(LambdaGuardrails.describe(options).map((s) => s.sid)).toEqual(sids);
    expect(documents.flatMap((d) => (d.Statement as any[]).map((s) => s.Sid))).toEqual(sids);
  });

  test.each(LambdaGuardrails.describe(options).map((info) => [info.sid, info] as const))('%s: allows what it should, and alone refuses what it should, on each of its actions', async (sid, info) => {
    const of = cases[sid];
    if (!of) throw new Error(`no case for the statement ${sid}: write one in casesFor`);
    const actual: string[] = [];
    const expected: string[] = [];
    for (const action of info.actions) {
      const { allowed, denied } = of(action);
      expect([allowed.length > 0, denied.length > 0]).toEqual([true, true]);
      for (const r of allowed) {
        actual.push(label(r, await decide(r, documents)));
        expected.push(label(r, 'Allowed'));
      }
      for (const r of denied) {
        // Refused, by this statement: without it, the same request passes.
        actual.push(label(r, `${await decide(r, documents)}, without ${sid} ${await decide(r, without(sid))}`));
        expected.push(label(r, `ExplicitlyDenied, without ${sid} Allowed`));
        if (options.exemptRoles) {
          const exempt = { ...r, principal: BREAK_GLASS };
          actual.push(label(exempt, await decide(exempt, documents)));
          expected.push(label(exempt, 'Allowed'));
        }
      }
    }
    expect(actual).toEqual(expected);
  });

  test('the CDK execution role creates the library\'s helpers without VPC or signing, and nothing else; other roles create no helper so', async () => {
    const bare = { ...NO_VPC, ...NO_CSC };
    const verdicts = await Promise.all([
      configure('lambda:CreateFunction', CDK, 'securefn-helper-x', bare),
      configure('lambda:CreateFunction', CDK, 'orders', bare),
      configure('lambda:CreateFunction', DEVELOPER, 'securefn-helper-x', NO_CSC),
      configure('lambda:CreateFunction', DEVELOPER, 'securefn-helper-x', NO_VPC),
      configure('lambda:CreateFunction', `arn:aws:iam::${ACCOUNT}:role/cdk-other-cfn-exec-role-${ACCOUNT}-us-east-1`, 'securefn-helper-x', bare),
    ].map((r) => decide(r, documents)));
    expect(verdicts).toEqual(['Allowed', 'ExplicitlyDenied', 'ExplicitlyDenied', 'ExplicitlyDenied', 'ExplicitlyDenied']);
  });
});

describe('the guardrails under the IAM model', () => {
  test('service principals are not subject to them; FullAWSAccess is there, so what they do not refuse is allowed', async () => {
    const deny = [{ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }];
    expect(await decide(req(DEVELOPER, 'lambda:GetFunction', fn('orders')), deny)).toBe('Allowed');
    expect(await decide(req(DEVELOPER, 's3:GetObject', 'arn:aws:s3:::b/k'), deny)).toBe('ExplicitlyDenied');
    const stack = new Stack(new App(), 'Test');
    new s3.CfnBucketPolicy(stack, 'P', {
      bucket: 'b',
      policyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }] },
    });
    const withBucket = IamModel.of(ResolvedTemplate.of(Template.fromStack(stack).toJSON(), MODEL_ENV));
    expect(await withBucket.decide(req('logging.s3.amazonaws.com', 's3:PutObject', 'arn:aws:s3:::b/k'), [], deny)).toBe('Allowed');
  });
});

describe('LambdaGuardrails, the construct', () => {
  test('one service control policy, attached to the targets, whose content is the rendered document', () => {
    const stack = new Stack(new App(), 'Org');
    new LambdaGuardrails(stack, 'G', { targetIds: ['ou-abcd-12345678'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'LambdaGuardrails',
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['ou-abcd-12345678'],
      Content: JSON.parse(LambdaGuardrails.renderPolicies()[0]),
    });
  });

  test('many approved subnets: the statements split into several documents, each within 5120 characters, in order', () => {
    const subnets = Array.from({ length: 120 }, (_, i) => `subnet-${i.toString(16).padStart(17, '0')}`);
    const documents = LambdaGuardrails.renderPolicies({ approvedSubnetIds: subnets });
    expect(documents.length).toBeGreaterThan(1);
    expect(documents.filter((d) => d.length > 5120)).toEqual([]);
    const sids = LambdaGuardrails.describe({ approvedSubnetIds: subnets }).map((s) => s.sid);
    expect(documents.flatMap((d) => JSON.parse(d).Statement.map((s: any) => s.Sid))).toEqual(sids);
    const stack = new Stack(new App(), 'Org');
    new LambdaGuardrails(stack, 'G', { approvedSubnetIds: subnets });
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy'));
    expect(policies.map((p) => p.Properties.Name)).toEqual(documents.map((_d, i) => `LambdaGuardrails-${i + 1}`));
    expect(policies.map((p) => p.Properties.Content)).toEqual(documents.map((d) => JSON.parse(d)));
  });

  test.each(['*', 'Admin*'])('an exempt role named by a wildcard (%s) is refused, naming exemptRoles', (roleName) => {
    expect(() => LambdaGuardrails.renderPolicies({ exemptRoles: [{ roleName, reason: 'convenience' }] })).toThrow(/^LambdaGuardrails: 'exemptRoles' must name a role exactly .*no wildcard.*, got '.*'\. Fix: write the role's name/);
    expect(() => new LambdaGuardrails(new Stack(new App(), 'Org'), 'G', { exemptRoles: [{ roleName, reason: 'convenience' }] })).toThrow(/'exemptRoles'/);
  });

  test('an exemption or a relaxation without its reason is refused', () => {
    expect(() => LambdaGuardrails.renderPolicies({ exemptRoles: [{ roleName: 'BreakGlass', reason: ' ' }] }))
      .toThrow("LambdaGuardrails: 'exemptRoles' entry 'BreakGlass' must give its reason, got an empty one. Fix: say why the role may break the guardrails");
    expect(() => LambdaGuardrails.renderPolicies({ relaxations: [{ statement: 'LambdaCodeSigningCodeSigningStays', reason: '' }] }))
      .toThrow("LambdaGuardrails: 'relaxations' entry 'LambdaCodeSigningCodeSigningStays' must give its reason, got an empty one. Fix: say why");
  });

  test('a relaxation of an unknown Sid is refused, listing the Sids', () => {
    expect(() => LambdaGuardrails.renderPolicies({ relaxations: [{ statement: 'LambdaNoSuchThing', reason: 'typo' }] }))
      .toThrow(/^LambdaGuardrails: 'relaxations' must name statements the guardrails render, got 'LambdaNoSuchThing'\. Fix: use the Sids: LambdaInsideVpcFunctionsInsideVpc, .*LambdaCodeSigningCodeSigningStays, LambdaCodeSigningLayersFromApprovedAccounts$/);
  });

  test('a relaxation removes its statement (and its helpers\' twin), shows in the omissions, and lets what it refused through', async () => {
    const options: LambdaGuardrailsOptions = { relaxations: [{ statement: 'LambdaCodeSigningFunctionsWithCodeSigning', reason: 'container images only' }] };
    expect(LambdaGuardrails.describe(options).map((s) => s.sid))
      .toEqual(DEFAULT_SIDS.filter((s) => !s.startsWith('LambdaCodeSigningFunctionsWithCodeSigning')));
    expect(LambdaGuardrails.omissions(options)).toContainEqual({ sid: 'LambdaCodeSigningFunctionsWithCodeSigning', ruleId: 'lambda-code-signing', reason: 'container images only' });
    const unsigned = configure('lambda:CreateFunction', DEVELOPER, 'orders', NO_CSC);
    expect(await decide(unsigned, parse(LambdaGuardrails.renderPolicies()))).toBe('ExplicitlyDenied');
    expect(await decide(unsigned, parse(LambdaGuardrails.renderPolicies(options)))).toBe('Allowed');
  });

  test('the default omissions: each list not given, by its option', () => {
    expect(LambdaGuardrails.omissions().map((o) => [o.sid, o.reason])).toEqual([
      ['LambdaInsideVpcFunctionsInApprovedVpcs', 'no approvedVpcIds given'],
      ['LambdaPublicSubnetFunctionsInApprovedSubnets', 'no approvedSubnetIds given'],
      ['LambdaUnrestrictedEgressFunctionsWithApprovedSecurityGroups', 'no approvedSecurityGroupIds given'],
      ['LambdaCapacityProviderSubnetsCapacityProvidersInApprovedSubnets', 'no approvedSubnetIds given'],
      ['LambdaCodeSigningApprovedCodeSigningConfigs', 'no approvedCodeSigningConfigArns given'],
    ]);
    expect(LambdaGuardrails.omissions(LOADED)).toEqual([]);
  });
});
