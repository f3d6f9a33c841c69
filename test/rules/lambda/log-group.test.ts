import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FunctionView } from '../../../src/rules/function-view';
import { logGroup } from '../../../src/rules/lambda/lambda-log-group';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

function l2(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.CfnFunction {
  const fn = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
  return fn.node.defaultChild as lambda.CfnFunction;
}

const cfnLogGroup = (group: logs.LogGroup) => group.node.defaultChild as logs.CfnLogGroup;

describe('lambda-log-group', () => {
  test('compliant: its own log group with a key and a retention', () => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'Logs', { encryptionKey: new kms.Key(stack, 'Key'), retention: logs.RetentionDays.ONE_YEAR });
    expect(logGroup.check(FunctionView.of(l2(stack, 'Fn', { logGroup: group })))).toBe('COMPLIANT');
  });

  test('non-compliant: a log group without a key', () => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'Logs', { logGroupName: '/app/orders', retention: logs.RetentionDays.ONE_YEAR });
    expect(logGroup.check(FunctionView.of(l2(stack, 'Fn', { logGroup: group })))).toEqual([
      { resource: cfnLogGroup(group), problem: 'log group /app/orders is not encrypted with a customer-managed key' },
    ]);
  });

  test('non-compliant: a log group without a key or a retention, both reported', () => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
    const id = stack.resolve(cfnLogGroup(group).logicalId);
    expect(logGroup.check(FunctionView.of(l2(stack, 'Fn', { logGroup: group })))).toEqual([
      { resource: cfnLogGroup(group), problem: `log group ${id} is not encrypted with a customer-managed key` },
      { resource: cfnLogGroup(group), problem: `log group ${id} keeps logs forever (no retention)` },
    ]);
  });

  test('non-compliant: the logRetention prop sets a retention, but Lambda\'s log group stays unencrypted', () => {
    const stack = newStack();
    // logRetention is deprecated in favour of logGroup: keep its warning out of the output.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fn = l2(stack, 'Fn', { logRetention: logs.RetentionDays.ONE_WEEK });
    warn.mockRestore();
    const retention = stack.node.findAll().filter(CfnResource.isCfnResource).find((c) => c.cfnResourceType === 'Custom::LogRetention')!;
    const id = stack.resolve(retention.logicalId);
    expect(logGroup.check(FunctionView.of(fn))).toEqual([{ resource: retention, problem: `log group ${id} is not encrypted with a customer-managed key` }]);
  });

  test('non-compliant: no log group, on an L2 and a named L1', () => {
    const stack = newStack();
    const fn = l2(stack, 'Fn');
    expect(logGroup.check(FunctionView.of(fn))).toEqual([{
      resource: fn, problem: `no log group of its own: Lambda creates /aws/lambda/<name of ${stack.resolve(fn.logicalId)}> unencrypted and kept forever`,
    }]);
    const named = cfnFunction(stack, { functionName: 'orders' });
    expect(logGroup.check(FunctionView.of(named))).toEqual([
      { resource: named, problem: 'no log group of its own: Lambda creates /aws/lambda/orders unencrypted and kept forever' },
    ]);
  });

  test('unresolved: an imported log group, or a retention from a parameter', () => {
    const stack = newStack();
    const imported = cfnFunction(stack, { loggingConfig: { logGroup: '/shared/functions' } });
    expect(logGroup.check(FunctionView.of(imported))).toBe('UNRESOLVED');
    const group = new logs.CfnLogGroup(stack, 'Logs', {
      kmsKeyId: new kms.Key(stack, 'Key').keyArn, retentionInDays: new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber,
    });
    expect(logGroup.check(FunctionView.of(cfnFunction(stack, { loggingConfig: { logGroup: group.ref } })))).toBe('UNRESOLVED');
  });
});
