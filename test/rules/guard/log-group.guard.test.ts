import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { plainL2 as l2, runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-log-group';

/** The logical id of an L2's resource. */
function idOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.resolve((construct.node.defaultChild as logs.CfnLogGroup).logicalId);
}

describe(`${RULE} in Guard`, () => {
  test('non-compliant: a log group without a key: both engines report the log group, not the function', () => {
    const { app, stack } = stackIn();
    const group = new logs.LogGroup(stack, 'Logs', { logGroupName: '/app/orders', retention: logs.RetentionDays.ONE_YEAR });
    l2(stack, 'Fn', { logGroup: group });
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([idOf(stack, group)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-log-group\] The function logs to its own log group/);
  });

  test('non-compliant: no log group, on an L2 and a named L1: reported on the function', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack, 'Fn');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    expect(runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!.logicalIds).toEqual([idOf(stack, fn)]);

    const named = stackIn();
    cfnFunction(named.stack, { functionName: 'orders' }, 'Fn');
    expect(verdictOf(named.app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('non-compliant: a log group without a key or a retention', () => {
    const { app, stack } = stackIn();
    l2(stack, 'Fn', { logGroup: new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE }) });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('non-compliant: the logRetention prop sets a retention (Custom::LogRetention), but Lambda\'s log group stays unencrypted', () => {
    const { app, stack } = stackIn();
    // logRetention is deprecated in favour of logGroup: keep its warning out of the output.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    l2(stack, 'Fn', { logRetention: logs.RetentionDays.ONE_WEEK });
    try {
      const v = verdicts(app);
      expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
      const retention = Object.entries(v.templates.Stack.Resources as Record<string, { Type: string }>).find(([, r]) => r.Type === 'Custom::LogRetention')![0];
      expect(runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!.logicalIds).toEqual([retention]);
    } finally {
      warn.mockRestore();
    }
  });

  test('compliant: its own log group with a key and a retention, referred to or named in LoggingConfig', () => {
    const { app, stack } = stackIn();
    const key = new kms.Key(stack, 'Key');
    l2(stack, 'Fn', { logGroup: new logs.LogGroup(stack, 'Logs', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR }) });
    new logs.CfnLogGroup(stack, 'Named', { logGroupName: '/app/named', kmsKeyId: key.keyArn, retentionInDays: 30 });
    cfnFunction(stack, { loggingConfig: { logGroup: '/app/named' } }, 'ByName');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('non-compliant: the log group named in LoggingConfig (a literal name) has no retention', () => {
    const { app, stack } = stackIn();
    new logs.CfnLogGroup(stack, 'Named', { logGroupName: '/app/named', kmsKeyId: new kms.Key(stack, 'Key').keyArn });
    cfnFunction(stack, { loggingConfig: { logGroup: '/app/named' } }, 'ByName');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    expect(runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!.logicalIds).toEqual(['Named']);
  });

  test('unresolved: an imported log group, or a retention from a parameter, pass both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { loggingConfig: { logGroup: '/shared/functions' } }, 'Imported');
    const group = new logs.CfnLogGroup(stack, 'Logs', {
      kmsKeyId: new kms.Key(stack, 'Key').keyArn, retentionInDays: new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber,
    });
    cfnFunction(stack, { loggingConfig: { logGroup: group.ref } }, 'FromParameter');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged, on the function or on the log group it reports', () => {
    const onFunction = stackIn();
    Validations.of(l2(onFunction.stack, 'Fn')).acknowledge({ id: RULE, reason: 'logs nothing' });
    expect(verdictOf(onFunction.app, RULE)).toEqual({ aspect: false, guard: false });

    const onGroup = stackIn();
    const group = new logs.LogGroup(onGroup.stack, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    l2(onGroup.stack, 'Fn', { logGroup: group });
    Validations.of(group).acknowledge({ id: RULE, reason: 'the account encrypts every log group with its own key' });
    expect(verdictOf(onGroup.app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
