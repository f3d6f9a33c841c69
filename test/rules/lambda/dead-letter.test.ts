import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FunctionView } from '../../../src/rules/function-view';
import { deadLetter } from '../../../src/rules/lambda/lambda-dlq';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

const PROBLEM = 'no dead-letter queue and no on-failure destination: failed asynchronous events are dropped';

function l2(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
}

const cfn = (fn: lambda.Function) => fn.node.defaultChild as lambda.CfnFunction;

describe('lambda-dlq', () => {
  test('compliant: lambda.Function with deadLetterQueueEnabled', () => {
    const fn = l2(newStack(), 'Dlq', { deadLetterQueueEnabled: true });
    expect(deadLetter.check(FunctionView.of(cfn(fn)))).toBe('COMPLIANT');
  });

  test('compliant: an onFailure destination through configureAsyncInvoke', () => {
    const stack = newStack();
    const fn = l2(stack, 'Destination');
    fn.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failures')) });
    expect(deadLetter.check(FunctionView.of(cfn(fn)))).toBe('COMPLIANT');
  });

  test('compliant: an L1 EventInvokeConfig with OnFailure on an alias', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
    const alias = new lambda.CfnAlias(stack, 'Alias', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
    new lambda.CfnEventInvokeConfig(stack, 'Async', {
      functionName: alias.ref, qualifier: 'live', destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } },
    });
    expect(deadLetter.check(FunctionView.of(fn))).toBe('COMPLIANT');
  });

  test('non-compliant: neither, on an L2 and an L1 with an on-success destination only', () => {
    const stack = newStack();
    const fn = l2(stack, 'None');
    expect(deadLetter.check(FunctionView.of(cfn(fn)))).toEqual([{ resource: cfn(fn), problem: PROBLEM }]);
    const l1 = cfnFunction(stack);
    new lambda.CfnEventInvokeConfig(stack, 'SuccessOnly', {
      functionName: l1.ref, qualifier: '$LATEST', destinationConfig: { onSuccess: { destination: 'arn:aws:sqs:us-east-1:123456789012:done' } },
    });
    expect(deadLetter.check(FunctionView.of(l1))).toEqual([{ resource: l1, problem: PROBLEM }]);
  });

  test('unresolved: a dead-letter target chosen by a condition may be absent', () => {
    const stack = newStack();
    const keep = new CfnCondition(stack, 'Keep', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
    const fn = cfnFunction(stack, {
      deadLetterConfig: { targetArn: Fn.conditionIf(keep.logicalId, 'arn:aws:sqs:us-east-1:123456789012:dlq', Fn.ref('AWS::NoValue')).toString() },
    });
    expect(deadLetter.check(FunctionView.of(fn))).toBe('UNRESOLVED');
  });
});
