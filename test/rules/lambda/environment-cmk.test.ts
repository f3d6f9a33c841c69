import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { environmentCmk } from '../../../src/rules/lambda/lambda-env-cmk';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function l2(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.CfnFunction {
  const fn = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
  return fn.node.defaultChild as lambda.CfnFunction;
}

describe('lambda-env-cmk', () => {
  test('compliant: lambda.Function with environmentEncryption', () => {
    const stack = newStack();
    const fn = l2(stack, 'Encrypted', { environment: { TABLE: 'orders' }, environmentEncryption: new kms.Key(stack, 'Key') });
    expect(environmentCmk.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('compliant: no variables, or an empty Variables map, need no key', () => {
    const stack = newStack();
    expect(environmentCmk.check(FunctionView.of(cfnFunction(stack)))).toBe('COMPLIANT');
    expect(environmentCmk.check(FunctionView.of(cfnFunction(stack, { environment: { variables: {} } })))).toBe('COMPLIANT');
    expect(environmentCmk.check(FunctionView.of(l2(stack, 'NoEnv')))).toBe('COMPLIANT');
  });

  test('non-compliant: variables without a key, on an L2 and an L1', () => {
    const stack = newStack();
    const fn = l2(stack, 'Plain', { environment: { TABLE: 'orders' } });
    expect(environmentCmk.check(FunctionView.of(fn))).toEqual([
      { resource: fn, problem: '1 environment variable encrypted with the AWS-managed key (no KmsKeyArn)' },
    ]);
    const l1 = cfnFunction(stack, { environment: { variables: { STAGE: 'prod', TABLE: 'orders' } } });
    expect(environmentCmk.check(FunctionView.of(l1))).toEqual([
      { resource: l1, problem: '2 environment variables encrypted with the AWS-managed key (no KmsKeyArn)' },
    ]);
  });

  test('unresolved: a key chosen by a condition may be absent', () => {
    const stack = newStack();
    const encrypt = new CfnCondition(stack, 'Encrypt', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
    const fn = cfnFunction(stack, {
      environment: { variables: { STAGE: 'prod' } },
      kmsKeyArn: Fn.conditionIf(encrypt.logicalId, 'arn:aws:kms:us-east-1:123456789012:key/abc', Fn.ref('AWS::NoValue')).toString(),
    });
    expect(environmentCmk.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
