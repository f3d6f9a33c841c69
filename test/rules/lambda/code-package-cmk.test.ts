import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { codePackageCmk } from '../../../src/rules/lambda/lambda-code-package-cmk';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

const PROBLEM = 'the code package is encrypted with an AWS-owned key (no Code.SourceKMSKeyArn)';

describe('lambda-code-package-cmk', () => {
  test('compliant: Code.SourceKMSKeyArn set by a property override (as SecureFunction does), or on the L1', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    cfn.addPropertyOverride('Code.SourceKMSKeyArn', new kms.Key(stack, 'Key').keyArn);
    expect(codePackageCmk.check(FunctionView.of(cfn))).toBe('COMPLIANT');
    const l1 = cfnFunction(stack, { code: { s3Bucket: 'bucket', s3Key: 'fn.zip', sourceKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' } });
    expect(codePackageCmk.check(FunctionView.of(l1))).toBe('COMPLIANT');
  });

  test('non-compliant: no SourceKMSKeyArn, on an L2 and an L1', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    expect(codePackageCmk.check(FunctionView.of(cfn))).toEqual([{ resource: cfn, problem: PROBLEM }]);
    const l1 = cfnFunction(stack);
    expect(codePackageCmk.check(FunctionView.of(l1))).toEqual([{ resource: l1, problem: PROBLEM }]);
  });

  test('not applicable: a container image', () => {
    const fn = cfnFunction(newStack(), {
      runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc' },
    });
    expect(codePackageCmk.check(FunctionView.of(fn))).toBe('NOT_APPLICABLE');
  });

  test('unresolved: a key chosen by a condition may be absent', () => {
    const stack = newStack();
    const encrypt = new CfnCondition(stack, 'Encrypt', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
    const fn = cfnFunction(stack);
    fn.addPropertyOverride('Code.SourceKMSKeyArn', Fn.conditionIf(encrypt.logicalId, 'arn:aws:kms:us-east-1:123456789012:key/abc', Fn.ref('AWS::NoValue')));
    expect(codePackageCmk.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
