import { CfnCondition, CfnParameter, Fn, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { plainL2 as l2, runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-dlq';
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:failures';

describe(`${RULE} in Guard`, () => {
  test('non-compliant: neither, on an L1: both engines fail the rule, on the function', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual(['Fn']);
    expect(failure.messages[0]).toMatch(/^\[lambda-dlq\] Failed asynchronous invocations go to a dead-letter queue or an on-failure destination\. Fix: /);
  });

  test('non-compliant: an L2 without either, and an L1 with an on-success destination only', () => {
    const none = stackIn();
    l2(none.stack, 'None');
    expect(verdictOf(none.app, RULE)).toEqual({ aspect: true, guard: true });

    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    new lambda.CfnEventInvokeConfig(stack, 'SuccessOnly', {
      functionName: fn.ref, qualifier: '$LATEST', destinationConfig: { onSuccess: { destination: QUEUE } },
    });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: lambda.Function with deadLetterQueueEnabled', () => {
    const { app, stack } = stackIn();
    l2(stack, 'Dlq', { deadLetterQueueEnabled: true });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: an onFailure destination through configureAsyncInvoke', () => {
    const { app, stack } = stackIn();
    l2(stack, 'Destination').configureAsyncInvoke({ onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failures')) });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: an L1 EventInvokeConfig with OnFailure on an alias, or naming the function by Fn::GetAtt', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
    const alias = new lambda.CfnAlias(stack, 'Alias', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
    new lambda.CfnEventInvokeConfig(stack, 'Async', { functionName: alias.ref, qualifier: 'live', destinationConfig: { onFailure: { destination: QUEUE } } });
    const byArn = cfnFunction(stack, {}, 'ByArn');
    new lambda.CfnEventInvokeConfig(stack, 'AsyncByArn', { functionName: byArn.attrArn, qualifier: '$LATEST', destinationConfig: { onFailure: { destination: QUEUE } } });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('non-compliant: an on-failure destination on another function\'s alias does not count', () => {
    const { app, stack } = stackIn();
    const covered = cfnFunction(stack, { deadLetterConfig: { targetArn: QUEUE } }, 'Covered');
    const version = new lambda.CfnVersion(stack, 'Version', { functionName: covered.ref });
    const alias = new lambda.CfnAlias(stack, 'Alias', { functionName: covered.ref, functionVersion: version.attrVersion, name: 'live' });
    new lambda.CfnEventInvokeConfig(stack, 'Async', { functionName: alias.ref, qualifier: 'live', destinationConfig: { onFailure: { destination: QUEUE } } });
    cfnFunction(stack, {}, 'Uncovered');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    expect(runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!.logicalIds).toEqual(['Uncovered']);
  });

  test('unresolved: a dead-letter target chosen by a condition passes both', () => {
    const { app, stack } = stackIn();
    const keep = new CfnCondition(stack, 'Keep', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
    cfnFunction(stack, { deadLetterConfig: { targetArn: Fn.conditionIf(keep.logicalId, QUEUE, Fn.ref('AWS::NoValue')).toString() } }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack, 'None');
    Validations.of(fn).acknowledge({ id: RULE, reason: 'invoked synchronously only' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
