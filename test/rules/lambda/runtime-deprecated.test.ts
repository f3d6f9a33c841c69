import { CfnParameter } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { deprecationDateOfName } from '../../../src/rules/data/runtimes';
import { FunctionView } from '../../../src/rules/function-view';
import { runtimeDeprecated } from '../../../src/rules/lambda/lambda-runtime-deprecated';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

describe('lambda-runtime-deprecated', () => {
  test('compliant: nodejs24.x, on an L1 and an L2', () => {
    const stack = newStack();
    expect(runtimeDeprecated.check(FunctionView.of(cfnFunction(stack, { runtime: 'nodejs24.x' })))).toBe('COMPLIANT');
    const fn = new lambda.Function(stack, 'L2', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    expect(runtimeDeprecated.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
  });

  test('non-compliant: python3.8 and nodejs16.x, with their deprecation dates', () => {
    const stack = newStack();
    const python = cfnFunction(stack, { runtime: 'python3.8', handler: 'index.handler' });
    expect(runtimeDeprecated.check(FunctionView.of(python))).toEqual([
      { resource: python, problem: 'runtime python3.8 is deprecated since 2024-10-14 (no more security patches)' },
    ]);
    const node = cfnFunction(stack, { runtime: 'nodejs16.x' });
    expect(runtimeDeprecated.check(FunctionView.of(node))).toEqual([
      { resource: node, problem: 'runtime nodejs16.x is deprecated since 2024-06-12 (no more security patches)' },
    ]);
  });

  test('not applicable: a container image carries its own runtime', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, {
      runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc' },
    });
    expect(runtimeDeprecated.check(FunctionView.of(fn))).toBe('NOT_APPLICABLE');
  });

  test('unresolved: a runtime from a parameter is not judged', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, { runtime: new CfnParameter(stack, 'Runtime').valueAsString });
    expect(runtimeDeprecated.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });

  test('deprecationDateOfName: only dates already past, only known names', () => {
    expect(deprecationDateOfName('nodejs20.x', new Date('2026-01-01'))).toBeUndefined();
    expect(deprecationDateOfName('nodejs20.x', new Date('2026-05-01'))).toBe('2026-04-30');
    expect(deprecationDateOfName('constructor')).toBeUndefined();
    expect(deprecationDateOfName('nodejs24.x')).toBeUndefined();
  });
});
