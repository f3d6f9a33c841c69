import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EnforcementMode, FunctionControlOptions, GuardMode, LambdaHardening, LambdaRulesAspect, SecureFunctionGuard } from '../../src';

// The former names stay, deprecated, and do what the new ones do.

function plainApp(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Test');
  new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
  return { app, stack };
}

describe('deprecated names', () => {
  test('GuardMode has the values of EnforcementMode', () => {
    expect(Object.entries(GuardMode)).toEqual(Object.entries(EnforcementMode));
  });

  test('SecureFunctionGuard.applyTo finds what LambdaRulesAspect.applyTo finds, in the mode given', () => {
    const before = plainApp();
    const guard = SecureFunctionGuard.applyTo(before.app, { mode: GuardMode.WARN });
    before.app.synth();
    const after = plainApp();
    const aspect = LambdaRulesAspect.applyTo(after.app, { mode: EnforcementMode.WARN });
    after.app.synth();
    expect(guard.findings.length).toBeGreaterThan(5);
    expect(guard.findings).toEqual(aspect.findings);
    expect(guard.findings.every((f) => !f.blocking)).toBe(true);
    // WARN: warnings, no errors.
    Annotations.fromStack(before.stack).hasNoError('*', Match.anyValue());
  });

  test('a SecureFunctionGuard made with new blocks like LambdaRulesAspect', () => {
    const { app, stack } = plainApp();
    const guard = new SecureFunctionGuard();
    guard.visit(stack.node.findChild('Plain').node.defaultChild!);
    expect(guard.findings.filter((f) => f.blocking).map((f) => f.ruleId)).toEqual(expect.arrayContaining(['lambda-inside-vpc', 'lambda-tracing']));
    expect(guard.acknowledgments).toEqual([]);
    expect(app.node.children).toContain(stack);
  });

  test('FunctionControlOptions is HardeningOptions', () => {
    const options: FunctionControlOptions = { reservedConcurrentExecutions: 7 };
    expect(new LambdaHardening(options)).toBeInstanceOf(LambdaHardening);
  });
});
