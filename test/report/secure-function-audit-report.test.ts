import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Duration, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LambdaHardening, LambdaRulesAspect, SecureFunction, SecureFunctionAuditReport, SecureFunctionRules } from '../../src';
import { StackIndex } from '../../src/cfn/stack-index';
import { buildAuditReport } from '../../src/report/audit-data';
import { CATALOG } from '../../src/rules/catalog';
import { isFunctionRule } from '../../src/rules/resource-rule';
import { HANDLER_ASSET, minimalProps } from '../support/fixtures';
import { sourceQueue } from '../support/integrations';
import { pipelineApp } from '../support/pipeline-app';

function read(app: App): { json: any; markdown: string } {
  const dir = app.synth().directory;
  return {
    json: JSON.parse(fs.readFileSync(path.join(dir, SecureFunctionAuditReport.JSON_FILE), 'utf8')),
    markdown: fs.readFileSync(path.join(dir, SecureFunctionAuditReport.MARKDOWN_FILE), 'utf8'),
  };
}

function plainFunction(scope: Stack, id: string): lambda.Function {
  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') });
}

/** An app with a SecureFunction, and a plain function in a Stage with one acknowledged exception. */
function mixedApp(): App {
  const app = new App();
  new SecureFunction(new Stack(app, 'Orders'), 'Api', minimalProps());
  const legacy = new Stack(new Stage(app, 'Prod'), 'Legacy');
  const plain = plainFunction(legacy, 'Plain');
  Validations.of(plain).acknowledge({ id: 'lambda-tracing', reason: 'sampled by the platform agent (RISK-42)' });
  return app;
}

const verdictOf = (fn: any, ruleId: string) => fn.controls.find((c: any) => c.ruleId === ruleId);

describe('SecureFunctionAuditReport', () => {
  test('lists every Lambda function of every stack and stage, with its kind', () => {
    const { json } = read(mixedApp());
    expect(json.functions.map((f: any) => [f.path, f.kind])).toEqual([
      ['Orders/Api/Function/Resource', 'SecureFunction'],
      ['Orders/SecureFunctionBaseline/CodeSigning/Signer/Function/Resource', 'other'],
      ['Orders/Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler', 'cdk-provider'],
      ['Prod/Legacy/Plain/Resource', 'other'],
    ]);
    // The plain function fails 5 blocking and 3 warning rules; the signer's 3 exceptions and the plain one's,
    // and the opt-in Config rules on the SecureFunction and the signer.
    const { suiteAcknowledgments } = json;
    expect(json.summary).toEqual({
      functions: 4,
      resources: 0,
      judged: 3,
      unenforced: 3,
      failures: 8,
      acknowledgments: 6,
      suiteAcknowledgments: suiteAcknowledgments.length,
      fixes: 0,
    });
    expect(json.suiteAcknowledgments.length).toBeGreaterThan(0);
  });

  test('every function of a CDK Pipelines app, in the stages the pipeline synthesized early, and whether the guard judged it', () => {
    const guarded = pipelineApp(['Dev', 'Prod']);
    SecureFunctionAuditReport.of(guarded.app);
    Validations.of(guarded.app).acknowledge(...SecureFunctionRules.all().map((r) => ({ id: r.id, reason: 'the report is under test' })));
    LambdaRulesAspect.applyTo(guarded.app);
    const json = read(guarded.app).json;
    expect(json.functions.map((f: any) => [f.path, f.stage, f.enforced])).toEqual([
      ['Dev/Svc/Fn/Resource', 'Dev', true],
      ['Prod/Svc/Fn/Resource', 'Prod', true],
    ]);
    expect(json.summary.unenforced).toBe(0);

    const open = pipelineApp(['Dev']);
    SecureFunctionAuditReport.of(open.app);
    const report = read(open.app);
    expect(report.json.functions.map((f: any) => [f.path, f.enforced])).toEqual([['Dev/Svc/Fn/Resource', false]]);
    expect(report.markdown).toContain('- Not enforced at synthesis (no LambdaRulesAspect reached them; their verdicts blocked nothing): 1');
    expect(report.markdown).toContain('| `Dev/Svc/Fn/Resource` | Dev | DevSvc1CA79752 | other | **no** |');
  });

  test('each fix the library made to the app\'s own constructs, where and why: a source queue given a redrive policy', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders');
    const fn = new SecureFunction(stack, 'Api', minimalProps());
    fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Jobs', { enforceSSL: true, visibilityTimeout: Duration.minutes(3) })));
    const { json, markdown } = read(app);
    expect(json.fixes).toEqual([{ at: 'Orders/Jobs', control: 'SQS event source failure handling', change: expect.stringMatching(/redrive policy to Orders\/JobsDeadLetterQueue .* after 5 receives/) }]);
    expect(json.summary.fixes).toBe(1);
    expect(markdown).toContain('- Fixes made to the app\'s own constructs: 1');
    expect(markdown).toMatch(/\| `Orders\/Jobs` \| SQS event source failure handling \| gave the source queue a redrive policy/);
  });

  test('a function LambdaHardening hardened is listed as such, passing every control the guard judges', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders');
    new lambda.Function(stack, 'Worker', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) })
      .with(new LambdaHardening());
    const { json } = read(app);
    const worker = json.functions.find((f: any) => f.path === 'Orders/Worker/Resource');
    expect(worker.kind).toBe('LambdaHardening');
    // Only the stack's opt-in Config rules are acknowledged, as for a SecureFunction.
    expect(worker.controls.filter((c: any) => !['PASS', 'NOT_APPLICABLE'].includes(c.verdict)).map((c: any) => [c.ruleId, c.verdict]))
      .toEqual([['lambda-config-rules', 'ACKNOWLEDGED']]);
  });

  test('the controls applied to each function: every catalog rule with its verdict', () => {
    const { json } = read(mixedApp());
    const [secure, , provider, plain] = json.functions;
    expect(secure.controls.map((c: any) => c.ruleId)).toEqual(CATALOG.filter(isFunctionRule).map((r) => r.id));
    expect(secure.controls.filter((c: any) => !['PASS', 'NOT_APPLICABLE'].includes(c.verdict))).toEqual([{
      ruleId: 'lambda-config-rules',
      verdict: 'ACKNOWLEDGED',
      problems: ['the stack deploys no AWS Config rule for Lambda functions'],
      acknowledgments: [{ at: 'Orders/Api', reason: expect.stringMatching(/NoAvailableConfigurationRecorderException.*configRules: true/) }],
    }]);
    expect(verdictOf(secure, 'lambda-code-signing').verdict).toBe('PASS');
    expect(provider).toMatchObject({ provider: expect.stringContaining('default security group'), controls: [] });
    expect(plain.controls.filter((c: any) => c.verdict === 'FAIL').map((c: any) => c.ruleId)).toEqual([
      'lambda-inside-vpc', 'lambda-log-group', 'lambda-code-signing', 'lambda-reserved-concurrency', 'lambda-dlq',
      'lambda-code-package-cmk', 'lambda-alarms', 'lambda-config-rules',
    ]);
    expect(verdictOf(plain, 'lambda-inside-vpc').problems).toEqual(['no VpcConfig: the function runs outside any VPC']);
  });

  test('every Lambda resource of another type, judged by the rules of its type, or listed as not judged with the reason', () => {
    const app = new App();
    const stack = new Stack(app, 'Web');
    const web = new lambda.WebFunction(stack, 'Site', {
      code: lambda.WebFunctionCode.fromBucket(new s3.Bucket(stack, 'Code', { versioned: true, enforceSSL: true }), 'site.zip'),
      runtime: lambda.WebFunctionRuntime.NODEJS_24_X,
      defaultEndpointAuth: lambda.WebFunctionAuthType.APPLICATION_MANAGED,
    });
    web.addToResourcePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeWebFunction'], principals: [new iam.AnyPrincipal()], resources: ['*'] }));
    Validations.of(web).acknowledge({ id: 'lambda-web-endpoint-auth', reason: 'a public site; the code checks a session cookie' });
    SecureFunctionAuditReport.of(app);
    const { json, markdown } = read(app);
    const byType = (type: string) => json.resources.filter((r: any) => r.type === type);
    expect(json.summary.resources).toBe(json.resources.length);
    expect(byType('AWS::Lambda::WebFunctionEndpoint')[0].controls).toEqual([expect.objectContaining({
      ruleId: 'lambda-web-endpoint-auth', verdict: 'ACKNOWLEDGED', acknowledgments: [{ at: 'Web/Site', reason: 'a public site; the code checks a session cookie' }],
    })]);
    expect(byType('AWS::Lambda::ResourcePolicy')[0].controls).toEqual([expect.objectContaining({
      ruleId: 'lambda-resource-policy-open', verdict: 'FAIL', problems: [expect.stringMatching(/^statement '0' allows every principal/)],
    })]);
    expect(byType('AWS::Lambda::WebFunctionRevision')[0].controls.map((c: any) => [c.ruleId, c.verdict])).toEqual([
      ['lambda-web-revision-egress', 'FAIL'], ['lambda-compute-role-wildcard', 'PASS'], ['lambda-baked-env-secret', 'PASS'], ['lambda-web-revision-cmk', 'FAIL'],
    ]);
    expect(byType('AWS::Lambda::WebFunction')[0]).toMatchObject({ controls: [], unjudged: expect.stringMatching(/^a name and tags only/) });
    expect(markdown).toContain('## Other Lambda resources');
    expect(markdown).toMatch(/\| `Web\/Site\/ResourcePolicy` \| AWS::Lambda::ResourcePolicy \| \(app\) \| Web \| lambda-resource-policy-open \| \*\*FAIL\*\* \| statement '0' allows every principal/);
    expect(markdown).toMatch(/AWS::Lambda::WebFunction \| \(app\) \| Web \| \(none\) \| not judged \| a name and tags only/);
  });

  test('each acknowledged exception with where it was made and why', () => {
    const { json } = read(mixedApp());
    const plain = json.functions[3];
    expect(verdictOf(plain, 'lambda-tracing')).toEqual({
      ruleId: 'lambda-tracing',
      verdict: 'ACKNOWLEDGED',
      problems: ['tracing is not configured'],
      acknowledgments: [{ at: 'Prod/Legacy/Plain', reason: 'sampled by the platform agent (RISK-42)' }],
    });
    const signer = json.functions[1];
    expect(signer.controls.filter((c: any) => c.verdict === 'ACKNOWLEDGED').map((c: any) => c.ruleId)).toEqual(['lambda-inside-vpc', 'lambda-code-signing', 'lambda-alarms', 'lambda-config-rules']);
    expect(verdictOf(signer, 'lambda-inside-vpc').acknowledgments[0].reason).toMatch(/Signer interface endpoint/);
  });

  test('every acknowledgment of another suite\'s rule, the library\'s and the app\'s: an SQS event source\'s mapping, an app\'s own', () => {
    const app = new App();
    const stack = new Stack(app, 'Queue');
    const fn = new SecureFunction(stack, 'Consumer', minimalProps());
    fn.addEventSource(new sources.SqsEventSource(sourceQueue(stack)));
    const bucket = new Construct(stack, 'Team');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'access logs go to the organisation bucket (RISK-7)' });
    const { json, markdown } = read(app);
    expect(json.suiteAcknowledgments).toEqual(expect.arrayContaining([
      { rule: 'Serverless::Serverless-LambdaEventSourceMappingDestination', at: expect.stringMatching(/^Queue\/Consumer\/SqsEventSource/), reason: expect.stringMatching(/no on-failure destination for SQS/) },
      { rule: 'AwsSolutions::AwsSolutions-S1', at: 'Queue/Team', reason: 'access logs go to the organisation bucket (RISK-7)' },
    ]));
    // Catalog rules are judged per function, not listed again.
    expect(json.suiteAcknowledgments.map((a: any) => a.rule)).not.toContain('lambda-inside-vpc');
    expect(json.summary.suiteAcknowledgments).toBe(json.suiteAcknowledgments.length);
    expect(markdown).toMatch(/## Acknowledged rules of other suites[\s\S]*\| Serverless::Serverless-LambdaEventSourceMappingDestination \| `Queue\/Consumer\/SqsEventSource/);
  });

  test('each rule with its compliance mapping', () => {
    const { json } = read(mixedApp());
    expect(json.rules).toEqual(SecureFunctionRules.all());
    expect(json.rules.find((r: any) => r.id === 'lambda-inside-vpc').controls).toMatchObject({ nist80053: ['AC-4', 'SC-7'], controlTower: ['CT.LAMBDA.PR.3'] });
  });

  test('each rule with the paths that enforce it beyond synthesis: guardrails (SCP), Guard Hook, AWS Config', () => {
    const { json, markdown } = read(mixedApp());
    const of = (id: string) => json.enforcement.find((e: any) => e.ruleId === id);
    expect(json.enforcement.map((e: any) => e.ruleId)).toEqual(CATALOG.map((r) => r.id));
    expect(of('lambda-inside-vpc')).toEqual({
      ruleId: 'lambda-inside-vpc',
      serviceControlPolicy: ['LambdaInsideVpcFunctionsInsideVpc', 'LambdaInsideVpcFunctionsInApprovedVpcs'],
      guardHookByDefault: true,
      awsConfig: ['LAMBDA_INSIDE_VPC'],
    });
    expect(of('lambda-url-public').serviceControlPolicy).toEqual(['LambdaUrlPublicFunctionUrlsWithIamAuth', 'LambdaUrlPublicNoPublicFunctionUrlPermissions']);
    // No condition key shows tracing: judged at synthesis and deployment, detected after, not prevented.
    expect(of('lambda-tracing')).toMatchObject({ serviceControlPolicy: [], guardHookByDefault: true, awsConfig: ['LAMBDA_FUNCTION_XRAY_ENABLED'] });
    expect(of('lambda-log-level-verbose')).toMatchObject({ serviceControlPolicy: [], guardHookByDefault: false, awsConfig: [] });
    expect(markdown).toMatch(/\| lambda-inside-vpc \| block \| [^|]+ \| 2 statements \| yes \| LAMBDA_INSIDE_VPC \|/);
    expect(markdown).toMatch(/\| lambda-log-level-verbose \| warn \| [^|]+ \|  \| includeWarnRules \|  \|/);
  });

  test('the Markdown says the same for a reader: functions, failures, exceptions with reasons, mapping', () => {
    const { markdown } = read(mixedApp());
    expect(markdown).toContain('- Functions: 4 (3 judged, 1 CDK provider functions not judged)');
    expect(markdown).toContain('| `Prod/Legacy/Plain/Resource` | Prod | ProdLegacy2493CF4E | other | **no** |');
    expect(markdown).toMatch(/\| lambda-inside-vpc \| \*\*FAIL\*\* \| no VpcConfig: the function runs outside any VPC \|/);
    expect(markdown).toContain('| `Prod/Legacy/Plain/Resource` | lambda-tracing | `Prod/Legacy/Plain` | sampled by the platform agent (RISK-42) |');
    expect(markdown).toMatch(/\| lambda-inside-vpc \| block \| .* \| AC-4, SC-7 \| .* \| CT\.LAMBDA\.PR\.3 \| Lambda\.3 \|/);
  });

  test('an app without SecureFunction gets one with of(app), once; a tree without an App gets none', () => {
    const app = new App();
    plainFunction(new Stack(app, 'Only'), 'Fn');
    expect(SecureFunctionAuditReport.of(app)).toBe(SecureFunctionAuditReport.of(app));
    expect(read(app).json.functions.map((f: any) => f.path)).toEqual(['Only/Fn/Resource']);
    expect(SecureFunctionAuditReport.of(new Construct(undefined as unknown as Construct, 'Root'))).toBeUndefined();
  });

  test('is written after every template and reads them: stacks before and after the first SecureFunction, nested stacks, stages', () => {
    const app = new App();
    plainFunction(new Stack(app, 'Before'), 'Fn');
    new SecureFunction(new Stack(app, 'Orders'), 'Api', minimalProps());
    const after = new Stack(app, 'After');
    plainFunction(after, 'Fn');
    plainFunction(new NestedStack(after, 'Nested') as Stack, 'Fn');
    plainFunction(new Stack(new Stage(app, 'Prod'), 'Legacy'), 'Fn');
    const build = jest.spyOn(StackIndex, 'build');
    const { json } = read(app);
    expect(build).not.toHaveBeenCalled();
    build.mockRestore();
    expect(json.functions.map((f: any) => f.path)).toEqual(expect.arrayContaining([
      'Before/Fn/Resource', 'Orders/Api/Function/Resource', 'After/Fn/Resource', 'After/Nested/Fn/Resource', 'Prod/Legacy/Fn/Resource',
    ]));
    // Read from the templates or resolved again, the verdicts are the same.
    expect(JSON.parse(JSON.stringify(buildAuditReport(app)))).toEqual(json);
  });

  test('added while aspects run (too late for its writer), it is still written, every stack resolved', () => {
    // Without aspect stabilization, CDK does not run aspects added while aspects run.
    const app = new App({ context: { '@aws-cdk/core:aspectStabilization': false } });
    const stack = new Stack(app, 'Late');
    plainFunction(stack, 'Fn');
    Aspects.of(app).add({
      visit: (node) => {
        if (node === stack && !stack.node.tryFindChild('Api')) {
          new SecureFunction(stack, 'Api', minimalProps());
        }
      },
    });
    const { json } = read(app);
    expect(app.node.tryFindChild('SecureFunctionAuditReportWriter')).toBeUndefined();
    expect(json.functions.map((f: any) => [f.path, f.kind])).toEqual(expect.arrayContaining([
      ['Late/Fn/Resource', 'other'], ['Late/Api/Function/Resource', 'SecureFunction'],
    ]));
  });
});

describe('StackIndex.fromTemplate', () => {
  function stackWithFunction(): { stack: Stack; template: any } {
    const app = new App();
    const stack = new Stack(app, 'Only');
    plainFunction(stack, 'Fn');
    return { stack, template: app.synth().getStackByName('Only').template };
  }

  test('serves the template\'s properties without resolving', () => {
    const { stack, template } = stackWithFunction();
    const [fnId] = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::Lambda::Function');
    template.Resources[fnId].Properties.Handler = 'from.the.template';
    expect(StackIndex.fromTemplate(stack, template)!.get(fnId)!.properties.Handler).toBe('from.the.template');
  });

  test('refuses a template of another synthesis: a resource more, one less, or another type', () => {
    const more = stackWithFunction();
    more.template.Resources.Extra = { Type: 'AWS::SQS::Queue' };
    expect(StackIndex.fromTemplate(more.stack, more.template)).toBeUndefined();
    const less = stackWithFunction();
    delete less.template.Resources[Object.keys(less.template.Resources)[0]];
    expect(StackIndex.fromTemplate(less.stack, less.template)).toBeUndefined();
    const retyped = stackWithFunction();
    retyped.template.Resources[Object.keys(retyped.template.Resources)[0]].Type = 'AWS::SQS::Queue';
    expect(StackIndex.fromTemplate(retyped.stack, retyped.template)).toBeUndefined();
  });
});
