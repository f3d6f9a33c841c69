import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { deprecationDateOfName } from '../../../src/rules/data/runtimes';
import { FunctionView } from '../../../src/rules/function-view';
import { deprecatedRuntimeNames, runtimeDeprecated } from '../../../src/rules/lambda/lambda-runtime-deprecated';
import { runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-runtime-deprecated';

const image = { runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc' } };

describe(`${RULE} in Guard`, () => {
  test('non-compliant: python3.8 and nodejs16.x: both engines fail the rule, on the function', () => {
    for (const runtime of ['python3.8', 'nodejs16.x']) {
      const { app, stack } = stackIn();
      cfnFunction(stack, { runtime }, 'Fn');
      const v = verdicts(app);
      expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
      const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
      expect(failure.logicalIds).toEqual(['Fn']);
      expect(failure.messages[0]).toMatch(/^\[lambda-runtime-deprecated\] The runtime still receives security patches/);
    }
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
      template.Resources[`Fn${i}`] = { Type: 'AWS::Lambda::Function', Properties: { Runtime: runtime, Handler: 'index.handler', Code: { ZipFile: 'x' } } };
    });
    const failure = runGuard(template).failures.find((f) => f.ruleId === RULE);
    expect(failure?.logicalIds ?? []).toEqual(aspectFails.sort());
    expect(aspectFails.length).toBeGreaterThan(10);
  });

  test('compliant: nodejs24.x, on an L1 and an L2', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { runtime: 'nodejs24.x' }, 'Fn');
    new lambda.Function(stack, 'L2', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('not applicable: a container image carries its own runtime', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, image, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: a runtime from a parameter passes both', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { runtime: new CfnParameter(stack, 'Runtime').valueAsString }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, { runtime: 'python3.8' }, 'Fn');
    Validations.of(fn).acknowledge({ id: RULE, reason: 'retired next sprint' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
