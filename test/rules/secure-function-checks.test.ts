import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureFunction, SecureFunctionChecks, LambdaRulesAspect, SecureFunctionRules } from '../../src';
import { handHardenedFunction } from '../support/aspect-fixtures';
import { minimalProps } from '../support/fixtures';
import { pipelineApp } from '../support/pipeline-app';

/** Verdicts as `rule-id resource-path`, from the pack and from the guard, on the same app. */
function verdicts(build: (stack: Stack) => void): { pack: string[]; aspect: string[] } {
  const app = new App();
  const stack = new Stack(app, 'Test');
  build(stack);
  const aspect = LambdaRulesAspect.applyTo(app);
  app.synth();
  const report = new SecureFunctionChecks().validateScope(app);
  const pack = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName.replace(/^SecureFunction-/, '')} ${r.constructPath}`)).sort();
  return { pack, aspect: aspect.findings.map((f) => `${f.ruleId} ${f.resourcePath}`).sort() };
}

const PLAIN = (stack: Stack) => new lambda.Function(stack, 'Plain', {
  runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'),
});

describe('SecureFunctionChecks (the catalog as a cdk-nag pack)', () => {
  test('pins its rule ids: one per catalog rule, SecureFunction-<id>', () => {
    expect(new SecureFunctionChecks().ruleIds).toEqual([
      'SecureFunction-lambda-inside-vpc',
      'SecureFunction-lambda-public-subnet',
      'SecureFunction-lambda-unrestricted-egress',
      'SecureFunction-lambda-web-revision-egress',
      'SecureFunction-lambda-capacity-provider-subnets',
      'SecureFunction-lambda-invoke-public',
      'SecureFunction-lambda-invoke-no-source-condition',
      'SecureFunction-lambda-url-public',
      'SecureFunction-lambda-url-wildcard-cors',
      'SecureFunction-lambda-resource-policy-open',
      'SecureFunction-lambda-web-endpoint-auth',
      'SecureFunction-lambda-role-wildcard',
      'SecureFunction-lambda-role-managed-admin',
      'SecureFunction-lambda-compute-role-wildcard',
      'SecureFunction-lambda-env-literal-secret',
      'SecureFunction-lambda-baked-env-secret',
      'SecureFunction-lambda-env-cmk',
      'SecureFunction-lambda-log-group',
      'SecureFunction-lambda-snapstart-cmk',
      'SecureFunction-lambda-durable-cmk',
      'SecureFunction-lambda-web-revision-cmk',
      'SecureFunction-lambda-microvm-image-cmk',
      'SecureFunction-lambda-capacity-provider-cmk',
      'SecureFunction-lambda-code-signing',
      'SecureFunction-lambda-runtime-deprecated',
      'SecureFunction-lambda-layer-public',
      'SecureFunction-lambda-runtime-updates-manual',
      'SecureFunction-lambda-microvm-image-capabilities',
      'SecureFunction-lambda-reserved-concurrency',
      'SecureFunction-lambda-dlq',
      'SecureFunction-lambda-tracing',
      'SecureFunction-lambda-stream-on-failure',
      'SecureFunction-lambda-code-package-cmk',
      'SecureFunction-lambda-alarms',
      'SecureFunction-lambda-config-rules',
      'SecureFunction-lambda-log-level-verbose',
      'SecureFunction-lambda-recursive-loop-allowed',
      'SecureFunction-lambda-inspector-excluded',
    ]);
    expect(SecureFunctionRules.all().map((r) => `SecureFunction-${r.id}`)).toEqual(new SecureFunctionChecks().ruleIds!);
  });

  test('reports errors for block rules and warnings for warn rules', () => {
    const app = new App();
    PLAIN(new Stack(app, 'Test'));
    const report = new SecureFunctionChecks().validateScope(app);
    const severities = Object.fromEntries(report.violations.map((v) => [v.ruleName, v.severity]));
    expect(severities['SecureFunction-lambda-inside-vpc']).toBe('error');
    expect(severities['SecureFunction-lambda-alarms']).toBe('warning');
    expect(report.success).toBe(false);
  });

  test.each([
    ['a plain lambda.Function with CDK defaults', PLAIN, ['lambda-inside-vpc', 'lambda-tracing', 'lambda-dlq']],
    ['an open function: public invoke, public URL with wildcard CORS, unconditioned service grant, admin role', (stack: Stack) => {
      const fn = PLAIN(stack);
      fn.grantInvoke(new iam.AnyPrincipal());
      fn.grantInvoke(new iam.ServicePrincipal('s3.amazonaws.com'));
      fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE, cors: { allowedOrigins: ['*'] } });
      fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
      fn.addEnvironment('DB_PASSWORD', 'hunter2hunter2');
    }, ['lambda-invoke-public', 'lambda-invoke-no-source-condition', 'lambda-url-public', 'lambda-url-wildcard-cors', 'lambda-role-managed-admin', 'lambda-env-literal-secret', 'lambda-env-cmk']],
    ['a hand-hardened lambda.Function', (stack: Stack) => { handHardenedFunction(stack, 'Hardened'); }, []],
    ['SecureFunctions', (stack: Stack) => { new SecureFunction(stack, 'A', minimalProps()); new SecureFunction(stack, 'B', minimalProps()); }, []],
  ])('gives the same verdicts as LambdaRulesAspect on %s', (_name, build, expected) => {
    const { pack, aspect } = verdicts(build as (stack: Stack) => void);
    expect(pack).toEqual(aspect);
    const rules = [...new Set(aspect.map((v) => v.split(' ')[0]))];
    expect(rules).toEqual(expect.arrayContaining(expected as string[]));
    if ((expected as string[]).length === 0) {
      expect(aspect.filter((v) => !v.startsWith('lambda-alarms') && !v.startsWith('lambda-config-rules') && !v.startsWith('lambda-code-package-cmk'))).toEqual([]);
    }
  });

  test('lets an acknowledged rule through, under the catalog id or the pack id', () => {
    const app = new App();
    const fn = PLAIN(new Stack(app, 'Test'));
    Validations.of(fn).acknowledge(
      { id: 'lambda-inside-vpc', reason: 'public APIs only' },
      { id: 'SecureFunction::SecureFunction-lambda-tracing', reason: 'vendor agent' },
    );
    const rules = new SecureFunctionChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).not.toContain('SecureFunction-lambda-inside-vpc');
    expect(rules).not.toContain('SecureFunction-lambda-tracing');
    expect(rules).toContain('SecureFunction-lambda-dlq');
  });
});

describe('SecureFunctionChecks on a CDK Pipelines app', () => {
  test('registered on the app, it judges the functions of the stages the pipeline synthesized when they were added', () => {
    const { app } = pipelineApp(['Dev', 'Prod']);
    Validations.of(app).addPlugins(new SecureFunctionChecks(app));
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = String(e);
    }
    expect(message).toContain('SecureFunction-lambda-inside-vpc');
    for (const stage of ['Dev', 'Prod']) {
      expect(message).toContain(`${stage}/Svc/Fn/Resource`);
    }
  });
});
