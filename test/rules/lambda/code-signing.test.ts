import { CfnParameter } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { codeSigning } from '../../../src/rules/lambda/lambda-code-signing';
import { newStack } from '../../support/fixtures';
import { cfnFunction, configWith, signedFunction } from '../../support/rule-fixtures';

describe('lambda-code-signing', () => {
  test('compliant: an L2 config with ENFORCE', () => {
    const { fn } = signedFunction(newStack(), 'Enforced', lambda.UntrustedArtifactOnDeployment.ENFORCE);
    expect(codeSigning.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('compliant: an imported config (its policy cannot be read, presence is what is judged)', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, { codeSigningConfigArn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0' });
    expect(codeSigning.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('non-compliant: a bare CfnFunction has no code-signing config', () => {
    const fn = cfnFunction(newStack());
    expect(codeSigning.check(FunctionView.of(fn))).toEqual([{ resource: fn, problem: 'no code-signing config' }]);
  });

  test('non-compliant: an L2 config with the WARN default only warns (reported on the config)', () => {
    const { fn, config } = signedFunction(newStack(), 'Warned');
    expect(codeSigning.check(FunctionView.of(fn))).toEqual([
      { resource: config, problem: 'the code-signing config only warns (UntrustedArtifactOnDeployment \'Warn\'): unsigned code deploys anyway' },
    ]);
  });

  test('non-compliant: a config without CodeSigningPolicies defaults to Warn', () => {
    const stack = newStack();
    const config = configWith(stack, 'Bare');
    const fn = cfnFunction(stack, { codeSigningConfigArn: config.attrCodeSigningConfigArn });
    expect(codeSigning.check(FunctionView.of(fn))).toEqual([
      { resource: config, problem: 'the code-signing config only warns (no CodeSigningPolicies, Lambda defaults to Warn): unsigned code deploys anyway' },
    ]);
  });

  test('not applicable: a container image', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, {
      runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc' },
    });
    expect(codeSigning.check(FunctionView.of(fn))).toBe('NOT_APPLICABLE');
  });

  test('unresolved: the policy of an in-stack config from a parameter is not judged', () => {
    const stack = newStack();
    const config = configWith(stack, 'Param', { untrustedArtifactOnDeployment: new CfnParameter(stack, 'Policy').valueAsString });
    const fn = cfnFunction(stack, { codeSigningConfigArn: config.attrCodeSigningConfigArn });
    expect(codeSigning.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
