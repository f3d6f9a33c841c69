import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { configRules } from '../../../src/rules/lambda/lambda-config-rules';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

const PROBLEM = 'the stack deploys no AWS Config rule for Lambda functions';

function managedRule(stack: Stack, id: string, sourceIdentifier: string): config.CfnConfigRule {
  return new config.CfnConfigRule(stack, id, { source: { owner: 'AWS', sourceIdentifier } });
}

describe('lambda-config-rules', () => {
  test('compliant: an L2 managed rule for Lambda in the stack', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new config.ManagedRule(stack, 'Dlq', { identifier: config.ManagedRuleIdentifiers.LAMBDA_DLQ_CHECK });
    expect(configRules.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
  });

  test('compliant: an L1 LAMBDA_* rule', () => {
    const stack = newStack();
    managedRule(stack, 'InsideVpc', 'LAMBDA_INSIDE_VPC');
    expect(configRules.check(FunctionView.of(cfnFunction(stack)))).toBe('COMPLIANT');
  });

  test('non-compliant: no Config rule, or rules for other services only', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    expect(configRules.check(FunctionView.of(fn))).toEqual([{ resource: fn, problem: PROBLEM }]);
    managedRule(stack, 'Bucket', 'S3_BUCKET_SSL_REQUESTS_ONLY');
    expect(configRules.check(FunctionView.of(fn))).toEqual([{ resource: fn, problem: PROBLEM }]);
  });

  test('unresolved: a rule whose identifier comes from a parameter is not judged', () => {
    const stack = newStack();
    managedRule(stack, 'Param', new CfnParameter(stack, 'Identifier').valueAsString);
    expect(configRules.check(FunctionView.of(cfnFunction(stack)))).toBe('UNRESOLVED');
  });
});
