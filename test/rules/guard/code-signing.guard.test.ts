import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction, configWith, signedFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-code-signing';

describe(`${RULE} in Guard`, () => {
  test('non-compliant: a bare CfnFunction has no code-signing config: both engines fail the rule, on the function', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual(['Fn']);
    expect(failure.messages[0]).toMatch(/^\[lambda-code-signing\] A \.zip function has a code-signing config that enforces/);
  });

  test('non-compliant: an L2 config with the WARN default only warns: both engines report the config, not the function', () => {
    const { app, stack } = stackIn();
    const { config } = signedFunction(stack, 'Warned');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve(config.logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-code-signing\] /);
  });

  test('non-compliant: a config without CodeSigningPolicies defaults to Warn (referenced by Fn::GetAtt)', () => {
    const { app, stack } = stackIn();
    const config = configWith(stack, 'Bare');
    cfnFunction(stack, { codeSigningConfigArn: config.attrCodeSigningConfigArn }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: an L2 config with ENFORCE', () => {
    const { app, stack } = stackIn();
    signedFunction(stack, 'Enforced', lambda.UntrustedArtifactOnDeployment.ENFORCE);
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: an imported config (its policy cannot be read, presence is what is judged)', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, { codeSigningConfigArn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0' }, 'Fn');
    cfnFunction(stack, { codeSigningConfigArn: new CfnParameter(stack, 'Config').valueAsString }, 'FromParameter');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('not applicable: a container image', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {
      runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc' },
    }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: the policy of an in-stack config from a parameter passes both', () => {
    const { app, stack } = stackIn();
    const config = configWith(stack, 'Param', { untrustedArtifactOnDeployment: new CfnParameter(stack, 'Policy').valueAsString });
    cfnFunction(stack, { codeSigningConfigArn: config.attrCodeSigningConfigArn }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged, on the function or on the config it reports', () => {
    const onFunction = stackIn();
    const bare = cfnFunction(onFunction.stack, {}, 'Fn');
    Validations.of(bare).acknowledge({ id: RULE, reason: 'signed by the deployment pipeline outside Lambda' });
    expect(verdictOf(onFunction.app, RULE)).toEqual({ aspect: false, guard: false });

    const onConfig = stackIn();
    const { config } = signedFunction(onConfig.stack, 'Warned');
    Validations.of(config).acknowledge({ id: RULE, reason: 'warn-only while the signing profile rolls out' });
    expect(verdictOf(onConfig.app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
