import { CfnParameter } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { reservedConcurrency } from '../../../src/rules/lambda/lambda-reserved-concurrency';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

const PROBLEM = 'no reserved concurrency: the function can use all of the account\'s unreserved concurrency';

function l2(stack: ReturnType<typeof newStack>, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.CfnFunction {
  const fn = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
  return fn.node.defaultChild as lambda.CfnFunction;
}

describe('lambda-reserved-concurrency', () => {
  test('compliant: a reservation, including 0 (a deliberate stop switch)', () => {
    const stack = newStack();
    expect(reservedConcurrency.check(FunctionView.of(cfnFunction(stack, { reservedConcurrentExecutions: 5 })))).toBe('COMPLIANT');
    expect(reservedConcurrency.check(FunctionView.of(cfnFunction(stack, { reservedConcurrentExecutions: 0 })))).toBe('COMPLIANT');
    expect(reservedConcurrency.check(FunctionView.of(l2(stack, 'Reserved', { reservedConcurrentExecutions: 10 })))).toBe('COMPLIANT');
  });

  test('non-compliant: no reservation, on an L1 and an L2', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    expect(reservedConcurrency.check(FunctionView.of(fn))).toEqual([{ resource: fn, problem: PROBLEM }]);
    const unreserved = l2(stack, 'Unreserved');
    expect(reservedConcurrency.check(FunctionView.of(unreserved))).toEqual([{ resource: unreserved, problem: PROBLEM }]);
  });

  test('unresolved: a reservation from a parameter is not judged', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, { reservedConcurrentExecutions: new CfnParameter(stack, 'Reserved', { type: 'Number' }).valueAsNumber });
    expect(reservedConcurrency.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
