import { CfnParameter, Validations } from 'aws-cdk-lib';
import { plainL2 as l2, runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-reserved-concurrency';

describe(`${RULE} in Guard`, () => {
  test('non-compliant: no reservation, on an L1 and an L2: both engines fail the rule, on the function', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual(['Fn']);
    expect(failure.messages[0]).toMatch(/^\[lambda-reserved-concurrency\] Reserved concurrency is set\. Fix: /);

    const other = stackIn();
    l2(other.stack, 'Unreserved');
    expect(verdictOf(other.app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: a reservation, including 0 (a deliberate stop switch), on an L1 and an L2', () => {
    for (const reserved of [5, 0]) {
      const { app, stack } = stackIn();
      cfnFunction(stack, { reservedConcurrentExecutions: reserved }, 'Fn');
      expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
    }
    const { app, stack } = stackIn();
    l2(stack, 'Reserved', { reservedConcurrentExecutions: 10 });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: a reservation from a parameter passes both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { reservedConcurrentExecutions: new CfnParameter(stack, 'Reserved', { type: 'Number' }).valueAsNumber }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    Validations.of(fn).acknowledge({ id: RULE, reason: 'a batch job that may use the whole account' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
