import * as path from 'path';
import { App, CfnOutput, CfnWaitConditionHandle, NestedStack, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureFunction } from '../../src';
import { memoizeVersionId } from '../../src/cfn/version-id-memo';
import { minimalProps } from '../support/fixtures';

// CDK's hash module, reached by file path (the package's exports map hides it) to count calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const functionHash = require(path.join(path.dirname(require.resolve('aws-cdk-lib/aws-lambda')), 'lib', 'function-hash.js'));

function versionIds(app: App, stackName = 'Stack'): string[] {
  const template = app.synth({ force: true }).getStackByName(stackName).template as { Resources: Record<string, { Type: string }> };
  return Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Version').map(([id]) => id).sort();
}

function appWith(environment?: Record<string, string>): { app: App; fn: SecureFunction } {
  const app = new App();
  const fn = new SecureFunction(new Stack(app, 'Stack'), 'Fn', minimalProps({ environment }));
  return { app, fn };
}

describe('the version id memo', () => {
  afterEach(() => jest.restoreAllMocks());

  test('is in place on every SecureFunction (a CDK upgrade that changes the internals it wraps fails here)', () => {
    const { fn } = appWith();
    const other = new lambda.Function(Stack.of(fn), 'Plain', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    expect(memoizeVersionId(other.currentVersion)).toBe(true);
  });

  test('gives the id CDK gives: the same props name the same version, other props another', () => {
    const [a] = versionIds(appWith({ LEVEL: 'INFO' }).app);
    const [b] = versionIds(appWith({ LEVEL: 'INFO' }).app);
    const [c] = versionIds(appWith({ LEVEL: 'DEBUG' }).app);
    expect(a).toMatch(/^FnFunctionCurrentVersion[0-9A-F]{8}[0-9a-f]{32}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  // Twice: once for the template, once when the alarm wiring reads the stack while aspects run
  // (observability/function-wiring.ts), before the memo is armed.
  test('hashes each function twice per synthesis (CDK alone: nine)', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    for (let i = 0; i < 4; i++) {
      new SecureFunction(stack, `Fn${i}`, minimalProps());
    }
    const spy = jest.spyOn(functionHash, 'calculateFunctionHash');
    app.synth();
    expect(spy.mock.calls.length).toBe(8);
  });

  test('a function changed after one synthesis gets a new version in the next', () => {
    const { app, fn } = appWith({ LEVEL: 'INFO' });
    const [before] = versionIds(app);
    fn.function.addEnvironment('LEVEL_AFTER', 'DEBUG');
    const [after] = versionIds(app);
    expect(after).not.toBe(before);

    const fresh = appWith({ LEVEL: 'INFO' });
    fresh.fn.function.addEnvironment('LEVEL_AFTER', 'DEBUG');
    expect(versionIds(fresh.app)).toEqual([after]);
  });

  test('the alias points at the version the template names', () => {
    const { app } = appWith();
    const template = app.synth().getStackByName('Stack').template as { Resources: Record<string, { Type: string; Properties: any }> };
    const [versionId] = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Version').map(([id]) => id);
    const alias = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Alias')!;
    expect(alias.Properties.FunctionVersion).toEqual({ 'Fn::GetAtt': [versionId, 'Version'] });
  });

  test('a version referenced from another stack is exported and imported under the id the template names', () => {
    const { app, fn } = appWith();
    const consumer = new Stack(app, 'Consumer');
    new CfnWaitConditionHandle(consumer, 'Resource');
    new CfnOutput(consumer, 'Version', { value: fn.alias.version.version });
    const assembly = app.synth();
    const producer = assembly.getStackByName('Stack').template as { Resources: Record<string, { Type: string }>; Outputs: Record<string, any> };
    const [versionId] = Object.entries(producer.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Version').map(([id]) => id);
    const exported = Object.values(producer.Outputs).find((o) => o.Export !== undefined);
    expect(exported.Value).toEqual({ 'Fn::GetAtt': [versionId, 'Version'] });
    const imported = (assembly.getStackByName('Consumer').template as { Outputs: Record<string, any> }).Outputs.Version.Value;
    expect(imported).toEqual({ 'Fn::ImportValue': exported.Export.Name });
    expect(JSON.stringify(assembly.getStackByName('Stack').template)).not.toContain('Pending');
  });

  test('a version referenced from a nested stack is passed as a parameter naming the id the template names', () => {
    const { app, fn } = appWith();
    const nested = new NestedStack(Stack.of(fn), 'Nested');
    new CfnWaitConditionHandle(nested, 'Resource');
    new CfnOutput(nested, 'Version', { value: fn.alias.version.version });
    const template = app.synth().getStackByName('Stack').template as { Resources: Record<string, { Type: string; Properties: any }> };
    const [versionId] = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Version').map(([id]) => id);
    const nestedStack = Object.values(template.Resources).find((r) => r.Type === 'AWS::CloudFormation::Stack')!;
    expect(Object.values(nestedStack.Properties.Parameters)).toContainEqual({ 'Fn::GetAtt': [versionId, 'Version'] });
  });
});
