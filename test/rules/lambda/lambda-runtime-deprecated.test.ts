import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { deprecationDateOfName } from '../../../src/rules/data/runtimes';
import { FunctionView } from '../../../src/rules/function-view';
import { deprecatedRuntimeNames, runtimeDeprecated } from '../../../src/rules/lambda/lambda-runtime-deprecated';
import { runGuard, stackIn } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc';

ruleTable(runtimeDeprecated, [
  {
    name: 'compliant: nodejs24.x on an L1',
    build: (stack) => ({ fn: cfnFunction(stack, { runtime: 'nodejs24.x' }, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: nodejs24.x on an L2',
    build: (stack) => ({
      fn: new lambda.Function(stack, 'L2', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') }),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: python3.8, with its deprecation date, on the function',
    build: (stack) => ({
      fn: cfnFunction(stack, { runtime: 'python3.8', handler: 'index.handler' }, 'Fn'),
      check: [{ on: 'Fn', problem: 'runtime python3.8 is deprecated since 2024-10-14 (no more security patches)' }],
    }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'non-compliant: nodejs16.x, with its deprecation date, on the function',
    build: (stack) => ({
      fn: cfnFunction(stack, { runtime: 'nodejs16.x' }, 'Fn'),
      check: [{ on: 'Fn', problem: 'runtime nodejs16.x is deprecated since 2024-06-12 (no more security patches)' }],
    }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'not applicable: a container image carries its own runtime',
    build: (stack) => ({
      fn: cfnFunction(stack, { runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: IMAGE } }, 'Fn'),
      check: 'NOT_APPLICABLE',
    }),
  },
  {
    name: 'unresolved: a runtime from a parameter is not judged',
    build: (stack) => ({ fn: cfnFunction(stack, { runtime: new CfnParameter(stack, 'Runtime').valueAsString }, 'Fn'), check: 'UNRESOLVED' }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = cfnFunction(stack, { runtime: 'python3.8' }, 'Fn');
      Validations.of(fn).acknowledge({ id: runtimeDeprecated.id, reason: 'retired next sprint' });
      return { fn, check: [{ on: fn, problem: 'runtime python3.8 is deprecated since 2024-10-14 (no more security patches)' }] };
    },
    reported: false,
  },
]);

describe('lambda-runtime-deprecated: the runtime table', () => {
  test('deprecationDateOfName: only dates already past, only known names', () => {
    expect(deprecationDateOfName('nodejs20.x', new Date('2026-01-01'))).toBeUndefined();
    expect(deprecationDateOfName('nodejs20.x', new Date('2026-05-01'))).toBe('2026-04-30');
    expect(deprecationDateOfName('constructor')).toBeUndefined();
    expect(deprecationDateOfName('nodejs24.x')).toBeUndefined();
  });

  test('every runtime CDK names gets the same verdict from both engines (the Guard list is built from the same table)', () => {
    const runtimes = [...lambda.Runtime.ALL, ...Object.values(lambda.Runtime).filter((r) => r instanceof lambda.Runtime)];
    const names = [...new Set(runtimes.map((r) => r.name))];
    expect(deprecatedRuntimeNames()).toEqual(names.filter((name) => deprecationDateOfName(name) !== undefined).sort());
    const { stack } = stackIn();
    const aspectFails: string[] = [];
    const template = { Resources: {} as Record<string, unknown> };
    names.forEach((runtime, i) => {
      const fn = cfnFunction(stack, { runtime }, `Fn${i}`);
      if (Array.isArray(runtimeDeprecated.check(FunctionView.of(fn)))) {
        aspectFails.push(`Fn${i}`);
      }
      template.Resources[`Fn${i}`] = {
        Type: 'AWS::Lambda::Function', Properties: { Runtime: runtime, Handler: 'index.handler', Code: { ZipFile: 'x' } },
      };
    });
    const failure = runGuard(template).failures.find((f) => f.ruleId === runtimeDeprecated.id);
    expect(failure?.logicalIds ?? []).toEqual(aspectFails.sort());
    expect(aspectFails.length).toBeGreaterThan(10);
  });
});
