import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EnforcementMode, SecureFunction, LambdaRulesAspect } from '../../src';
import { enforceRules, ruleErrors, ruleWarnings, handHardenedFunction } from '../support/aspect-fixtures';
import { minimalProps, newStack } from '../support/fixtures';
import { cfnFunction } from '../support/rule-fixtures';

/** A plain lambda.Function with CDK's defaults: what a team writes without thinking about security. */
function plainFunction(scope: ConstructLike, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope as never, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    ...props,
  });
}
type ConstructLike = { node: unknown };

const PLAIN_DEFAULT_ERRORS = [
  'lambda-code-signing',
  'lambda-dlq',
  'lambda-inside-vpc',
  'lambda-log-group',
  'lambda-reserved-concurrency',
  'lambda-tracing',
];

describe('LambdaRulesAspect', () => {
  test('a default SecureFunction app has no error and no warning', () => {
    const stack = newStack();
    enforceRules(stack);
    new SecureFunction(stack, 'Fn', minimalProps());
    expect(ruleErrors(stack)).toEqual([]);
    expect(ruleWarnings(stack)).toEqual([]);
  });

  test('a plain lambda.Function hardened by hand passes', () => {
    const stack = newStack();
    enforceRules(stack);
    handHardenedFunction(stack, 'Hardened');
    expect(ruleErrors(stack)).toEqual([]);
  });

  test('a plain lambda.Function with CDK defaults is blocked on each rule it breaks, on the function', () => {
    const stack = newStack();
    enforceRules(stack);
    plainFunction(stack, 'Plain');
    expect(ruleErrors(stack)).toEqual(PLAIN_DEFAULT_ERRORS.map((rule) => `${rule} /Test/Plain/Resource`));
    expect(ruleWarnings(stack)).toEqual(['lambda-alarms /Test/Plain/Resource', 'lambda-code-package-cmk /Test/Plain/Resource', 'lambda-config-rules /Test/Plain/Resource']);
  });

  test('the message says what is wrong and how to fix it', () => {
    const stack = newStack();
    enforceRules(stack);
    plainFunction(stack, 'Plain');
    Annotations.fromStack(stack).hasError('/Test/Plain/Resource', Match.stringLikeRegexp('^\\[lambda-tracing\\] .+: tracing is not configured\\. Fix: .*Tracing\\.ACTIVE'));
  });

  test.each([
    ['an L1 CfnFunction', (s: Stack) => new lambda.CfnFunction(s, 'L1', {
      role: 'arn:aws:iam::111111111111:role/r', runtime: 'nodejs24.x', handler: 'index.handler', code: { zipFile: 'x' },
    }), '/Test/L1'],
    ['a SingletonFunction', (s: Stack) => new lambda.SingletonFunction(s, 'Single', {
      uuid: '9c0ba49c-7e4e-4b63-9c3b-3c1c2b1f1d0a', runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'),
    }), '/Test/SingletonLambda9c0ba49c7e4e4b639c3b3c1c2b1f1d0a/Resource'],
    ['a function built from a bundled asset', (s: Stack) => plainFunction(s, 'Bundled', {
      code: lambda.Code.fromAsset(fs.mkdtempSync(path.join(os.tmpdir(), 'src-')), {
        bundling: {
          image: lambda.Runtime.NODEJS_24_X.bundlingImage,
          local: { tryBundle: (out: string) => { fs.writeFileSync(path.join(out, 'index.js'), 'exports.handler = async () => 1;'); return true; } },
        },
      }),
    }), '/Test/Bundled/Resource'],
  ])('judges %s like any other function', (_name, build, resourcePath) => {
    const stack = newStack();
    enforceRules(stack);
    build(stack);
    expect(ruleErrors(stack)).toEqual(expect.arrayContaining([`lambda-inside-vpc ${resourcePath}`, `lambda-tracing ${resourcePath}`]));
  });

  test('judges functions in nested stacks and in other stages', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const parent = new Stack(stage, 'Parent');
    const nested = new NestedStack(parent, 'Nested');
    plainFunction(nested, 'InNested');
    const aspect = LambdaRulesAspect.applyTo(app);
    const assembly = app.synth().getNestedAssembly('assembly-Prod');
    expect(aspect.findings.filter((f) => f.ruleId === 'lambda-inside-vpc').map((f) => [f.resourcePath, f.blocking])).toEqual([
      ['Prod/Parent/Nested/InNested/Resource', true],
    ]);
    const errors = assembly.stacks.flatMap((s) => s.messages).filter((m) => m.level === 'error').map((m) => `${/^\[([^\]]+)\]/.exec(String(m.entry.data))?.[1]} ${m.id}`);
    expect(errors).toContain('lambda-inside-vpc /Prod/Parent/Nested/InNested/Resource');
  });

  test('blocks on the offending resource: the permission, the URL, the security group', () => {
    const stack = newStack();
    enforceRules(stack);
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, restrictDefaultSecurityGroup: false, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const fn = plainFunction(stack, 'Open', { vpc });
    fn.grantInvoke(new iam.AnyPrincipal());
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE, cors: { allowedOrigins: ['*'] } });
    const errors = ruleErrors(stack);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^lambda-invoke-public \/Test\/Open\//),
      'lambda-url-public /Test/Open/FunctionUrl/Resource',
      'lambda-url-wildcard-cors /Test/Open/FunctionUrl/Resource',
      'lambda-unrestricted-egress /Test/Open/SecurityGroup/Resource',
    ]));
  });

  test('an acknowledged rule lets the resource through, and its reason is in the output and the report', () => {
    const stack = newStack();
    const aspect = enforceRules(stack);
    const fn = plainFunction(stack, 'Legacy');
    Validations.of(fn).acknowledge({ id: 'lambda-inside-vpc', reason: 'Talks only to public AWS APIs; VPC move planned for Q3 (JIRA-42).' });
    expect(ruleErrors(stack)).not.toContain('lambda-inside-vpc /Test/Legacy/Resource');
    Annotations.fromStack(stack).hasInfo('/Test/Legacy/Resource', Match.stringLikeRegexp('\\[lambda-inside-vpc\\] acknowledged at Test/Legacy: Talks only to public AWS APIs'));
    expect(aspect.acknowledgments).toEqual([expect.objectContaining({ ruleId: 'lambda-inside-vpc', acknowledgedAt: 'Test/Legacy', reason: expect.stringContaining('JIRA-42') })]);
  });

  test('the pack id and its namespaced form acknowledge too', () => {
    const stack = newStack();
    enforceRules(stack);
    const fn = plainFunction(stack, 'Legacy');
    Validations.of(fn).acknowledge({ id: 'SecureFunction-lambda-tracing', reason: 'traced by the vendor agent' });
    Validations.of(stack).acknowledge({ id: 'SecureFunction::SecureFunction-lambda-dlq', reason: 'synchronous API only' });
    const errors = ruleErrors(stack);
    expect(errors).not.toContain('lambda-tracing /Test/Legacy/Resource');
    expect(errors).not.toContain('lambda-dlq /Test/Legacy/Resource');
    expect(errors).toContain('lambda-inside-vpc /Test/Legacy/Resource');
  });

  test('WARN mode reports every violation as a warning', () => {
    const stack = newStack();
    enforceRules(stack, EnforcementMode.WARN);
    plainFunction(stack, 'Plain');
    expect(ruleErrors(stack)).toEqual([]);
    expect(ruleWarnings(stack)).toEqual(expect.arrayContaining(PLAIN_DEFAULT_ERRORS.map((rule) => `${rule} /Test/Plain/Resource`)));
  });

  test('REMEDIATE mode fills in what is safe, reports each fix, and blocks the rest', () => {
    const stack = newStack();
    enforceRules(stack, EnforcementMode.REMEDIATE);
    const fn = plainFunction(stack, 'Plain', { logGroup: new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE }) });
    fn.grantInvoke(new iam.ServicePrincipal('sns.amazonaws.com'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
    Annotations.fromStack(stack).hasInfo('/Test/Plain/Resource', Match.stringLikeRegexp('remediated lambda-tracing'));
    const errors = ruleErrors(stack);
    expect(errors).not.toContain('lambda-tracing /Test/Plain/Resource');
    expect(errors).not.toContainEqual(expect.stringMatching(/^lambda-invoke-no-source-condition/));
    expect(errors).toContain('lambda-inside-vpc /Test/Plain/Resource');
  });

  test('REMEDIATE mode never overwrites a value the user set', () => {
    const stack = newStack();
    enforceRules(stack, EnforcementMode.REMEDIATE);
    plainFunction(stack, 'Plain', { tracing: lambda.Tracing.PASS_THROUGH });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'PassThrough' } });
    expect(ruleErrors(stack)).toContain('lambda-tracing /Test/Plain/Resource');
  });

  test('CDK provider functions are named and not judged', () => {
    const stack = newStack();
    enforceRules(stack);
    new ec2.Vpc(stack, 'Vpc', { natGateways: 0, restrictDefaultSecurityGroup: true, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    plainFunction(stack, 'WithRetention', { logRetention: logs.RetentionDays.ONE_WEEK });
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('CDK provider function'));
    expect(infos.map((i) => i.id).sort()).toEqual([
      '/Test/Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler',
      '/Test/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a/Resource',
    ]);
    expect(ruleErrors(stack).filter((e) => !e.includes('/Test/WithRetention/'))).toEqual([]);
  });
  test('a resource shared by two functions, acknowledged for one, is still reported for the other', () => {
    const stack = newStack();
    enforceRules(stack);
    const config = new lambda.CfnCodeSigningConfig(stack, 'SharedConfig', {
      allowedPublishers: { signingProfileVersionArns: ['arn:aws:signer:us-east-1:111111111111:/signing-profiles/build/v1'] },
    });
    const acked = cfnFunction(stack, { codeSigningConfigArn: config.attrCodeSigningConfigArn }, 'Acked');
    cfnFunction(stack, { codeSigningConfigArn: config.attrCodeSigningConfigArn }, 'Open');
    Validations.of(acked).acknowledge({ id: 'lambda-code-signing', reason: 'a migration window, until 2027-01' });
    expect(ruleErrors(stack).filter((e) => e.startsWith('lambda-code-signing'))).toEqual(['lambda-code-signing /Test/SharedConfig']);
  });
});
