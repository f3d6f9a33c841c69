import { CfnCondition, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-code-package-cmk';

function l2(stack: Stack, id: string): lambda.CfnFunction {
  const fn = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
  return fn.node.defaultChild as lambda.CfnFunction;
}

describe(`${RULE} in Guard`, () => {
  test('non-compliant: no SourceKMSKeyArn, on an L1: both engines fail the rule (a warning), on the function', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual(['Fn']);
    expect(failure.messages[0]).toMatch(/^\[lambda-code-package-cmk\] The \.zip deployment package is encrypted with a customer-managed KMS key/);
  });

  test('non-compliant: no SourceKMSKeyArn, on an L2', () => {
    const { app, stack } = stackIn();
    l2(stack, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: Code.SourceKMSKeyArn set by a property override (as SecureFunction does), or on the L1', () => {
    const { app, stack } = stackIn();
    l2(stack, 'Fn').addPropertyOverride('Code.SourceKMSKeyArn', new kms.Key(stack, 'Key').keyArn);
    cfnFunction(stack, { code: { s3Bucket: 'bucket', s3Key: 'fn.zip', sourceKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' } }, 'L1');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('not applicable: a container image', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {
      runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc' },
    }, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: a key chosen by a condition passes both', () => {
    const { app, stack } = stackIn();
    const encrypt = new CfnCondition(stack, 'Encrypt', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
    const fn = cfnFunction(stack, {}, 'Fn');
    fn.addPropertyOverride('Code.SourceKMSKeyArn', Fn.conditionIf(encrypt.logicalId, 'arn:aws:kms:us-east-1:123456789012:key/abc', Fn.ref('AWS::NoValue')));
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    Validations.of(fn).acknowledge({ id: RULE, reason: 'public sample code' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });
});
