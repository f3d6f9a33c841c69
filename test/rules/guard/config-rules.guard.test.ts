import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-config-rules';

function managedRule(stack: Stack, id: string, sourceIdentifier: string): config.CfnConfigRule {
  return new config.CfnConfigRule(stack, id, { source: { owner: 'AWS', sourceIdentifier } });
}

describe(`${RULE} in Guard`, () => {
  test('compliant: an L2 managed rule for Lambda in the stack', () => {
    const { app, stack } = stackIn();
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new config.ManagedRule(stack, 'Dlq', { identifier: config.ManagedRuleIdentifiers.LAMBDA_DLQ_CHECK });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: an L1 LAMBDA_* rule', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    managedRule(stack, 'InsideVpc', 'LAMBDA_INSIDE_VPC');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('non-compliant: no Config rule: both fail, on every function', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    cfnFunction(stack, {}, 'Other');
    const v = verdicts(app);
    expect(v.aspect.Stack).toContain(RULE);
    const failure = v.guardFailures.Stack.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual(['Fn', 'Other']);
    expect(failure.messages[0]).toMatch(/^\[lambda-config-rules\] The stack deploys at least one AWS Config rule for Lambda functions\. Fix: /);
  });

  test('non-compliant: rules for other services only', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    managedRule(stack, 'Bucket', 'S3_BUCKET_SSL_REQUESTS_ONLY');
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('unresolved: a rule whose identifier comes from a parameter passes both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    managedRule(stack, 'Param', new CfnParameter(stack, 'Identifier').valueAsString);
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: on the stack (rules managed centrally), or on one function', () => {
    const onStack = stackIn();
    cfnFunction(onStack.stack, {}, 'Fn');
    Validations.of(onStack.stack).acknowledge({ id: RULE, reason: 'Config rules come from the organization conformance pack' });
    expect(verdictOf(onStack.app, RULE)).toEqual({ aspect: false, guard: false });

    const onFunction = stackIn();
    Validations.of(cfnFunction(onFunction.stack, {}, 'Fn')).acknowledge({ id: RULE, reason: 'a short-lived migration function' });
    cfnFunction(onFunction.stack, {}, 'Other');
    const v = verdicts(onFunction.app);
    expect(v.aspect.Stack).toContain(RULE);
    expect(v.guardFailures.Stack.find((f) => f.ruleId === RULE)!.logicalIds).toEqual(['Other']);
  });
});
