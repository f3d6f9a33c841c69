import { CfnParameter, Validations, App } from 'aws-cdk-lib';
import { runGuard, stackIn, verdictOf } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-tracing';

describe(`${RULE} in Guard`, () => {
  test('non-compliant: no TracingConfig, PassThrough: both engines fail the rule, on the function', () => {
    for (const tracingConfig of [undefined, { mode: 'PassThrough' }]) {
      const { app, stack } = stackIn();
      cfnFunction(stack, { tracingConfig }, 'Fn');
      expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    }
    const { stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    const failure = runGuard(stack.node.scope ? (stack.node.scope as App).synth().getStackByName('Stack').template : {}).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual(['Fn']);
    expect(failure.messages[0]).toMatch(/^\[lambda-tracing\] Active X-Ray tracing is on\. Fix: /);
  });

  test('compliant: Active', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { tracingConfig: { mode: 'Active' } }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: a mode from a parameter passes both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { tracingConfig: { mode: new CfnParameter(stack, 'Mode').valueAsString } }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    Validations.of(fn).acknowledge({ id: RULE, reason: 'tracing is sampled by the platform agent' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
