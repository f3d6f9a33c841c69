import { CfnParameter } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { tracing } from '../../../src/rules/lambda/tracing';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

describe('lambda-tracing', () => {
  test('compliant: TracingConfig.Mode Active', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, { tracingConfig: { mode: 'Active' } });
    expect(tracing.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('non-compliant: no TracingConfig, or PassThrough', () => {
    const stack = newStack();
    expect(tracing.check(FunctionView.of(cfnFunction(stack)))).toEqual([{ resource: expect.anything(), problem: 'tracing is not configured' }]);
    const passThrough = new lambda.Function(stack, 'L2', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), tracing: lambda.Tracing.PASS_THROUGH,
    });
    expect(tracing.check(FunctionView.of(passThrough.node.defaultChild as lambda.CfnFunction))).toEqual([
      { resource: passThrough.node.defaultChild, problem: "tracing is 'PassThrough'" },
    ]);
  });

  test('unresolved: a mode from a parameter is not judged', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, { tracingConfig: { mode: new CfnParameter(stack, 'Mode').valueAsString } });
    expect(tracing.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
