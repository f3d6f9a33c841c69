import { CfnParameter, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { logGroup } from '../../../src/rules/lambda/lambda-log-group';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

/** The logical id of the resource of the L2 `id` in the stack. */
const idOf = (stack: Stack, id: string): string => stack.resolve((stack.node.findChild(id).node.defaultChild as CfnResource).logicalId);

/** The Custom::LogRetention resource the logRetention prop adds. */
const logRetentionIn = (stack: Stack): CfnResource =>
  stack.node.findAll().filter(CfnResource.isCfnResource).find((c) => c.cfnResourceType === 'Custom::LogRetention')!;

ruleTable(logGroup, [
  {
    name: 'compliant: its own log group with a key and a retention',
    build: (stack) => {
      const group = new logs.LogGroup(stack, 'Logs', { encryptionKey: new kms.Key(stack, 'Key'), retention: logs.RetentionDays.ONE_YEAR });
      return { fn: l2(stack, 'Fn', { logGroup: group }), check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: its own log group with a key and a retention, named in LoggingConfig (a literal name)',
    build: (stack) => {
      new logs.CfnLogGroup(stack, 'Named', { logGroupName: '/app/named', kmsKeyId: new kms.Key(stack, 'Key').keyArn, retentionInDays: 30 });
      return { fn: cfnFunction(stack, { loggingConfig: { logGroup: '/app/named' } }, 'Fn'), check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: a log group without a key, reported on the log group, not the function',
    build: (stack) => {
      const group = new logs.LogGroup(stack, 'Logs', { logGroupName: '/app/orders', retention: logs.RetentionDays.ONE_YEAR });
      return {
        fn: l2(stack, 'Fn', { logGroup: group }),
        check: [{ on: group, problem: 'log group /app/orders is not encrypted with a customer-managed key' }],
      };
    },
    guardPointsAt: (stack) => [idOf(stack, 'Logs')],
  },
  {
    name: 'non-compliant: a log group without a key or a retention, both reported',
    build: (stack) => {
      const group = new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
      const id = idOf(stack, 'Logs');
      return {
        fn: l2(stack, 'Fn', { logGroup: group }),
        check: [
          { on: group, problem: `log group ${id} is not encrypted with a customer-managed key` },
          { on: group, problem: `log group ${id} keeps logs forever (no retention)` },
        ],
      };
    },
  },
  {
    name: 'non-compliant: the logRetention prop sets a retention (Custom::LogRetention), but Lambda\'s log group stays unencrypted',
    build: (stack) => {
      // logRetention is deprecated in favour of logGroup: keep its warning out of the output.
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        const fn = l2(stack, 'Fn', { logRetention: logs.RetentionDays.ONE_WEEK });
        const retention = logRetentionIn(stack);
        const id = stack.resolve(retention.logicalId);
        return { fn, check: [{ on: retention, problem: `log group ${id} is not encrypted with a customer-managed key` }] };
      } finally {
        warn.mockRestore();
      }
    },
    guardPointsAt: (stack) => [stack.resolve(logRetentionIn(stack).logicalId)],
  },
  {
    name: 'non-compliant: the log group named in LoggingConfig (a literal name) has no retention',
    build: (stack) => {
      new logs.CfnLogGroup(stack, 'Named', { logGroupName: '/app/named', kmsKeyId: new kms.Key(stack, 'Key').keyArn });
      return {
        fn: cfnFunction(stack, { loggingConfig: { logGroup: '/app/named' } }, 'Fn'),
        check: [{ on: 'Named', problem: 'log group /app/named keeps logs forever (no retention)' }],
      };
    },
    guardPointsAt: () => ['Named'],
  },
  {
    name: 'non-compliant: no log group, on an L2, reported on the function',
    build: (stack) => {
      const fn = l2(stack, 'Fn');
      const id = idOf(stack, 'Fn');
      return { fn, check: [{ on: fn, problem: `no log group of its own: Lambda creates /aws/lambda/<name of ${id}> unencrypted and kept forever` }] };
    },
    guardPointsAt: (stack) => [idOf(stack, 'Fn')],
  },
  {
    name: 'non-compliant: no log group, on a named L1',
    build: (stack) => ({
      fn: cfnFunction(stack, { functionName: 'orders' }, 'Fn'),
      check: [{ on: 'Fn', problem: 'no log group of its own: Lambda creates /aws/lambda/orders unencrypted and kept forever' }],
    }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'unresolved: an imported log group',
    build: (stack) => ({ fn: cfnFunction(stack, { loggingConfig: { logGroup: '/shared/functions' } }, 'Fn'), check: 'UNRESOLVED' }),
  },
  {
    name: 'unresolved: a retention from a parameter',
    build: (stack) => {
      const group = new logs.CfnLogGroup(stack, 'Logs', {
        kmsKeyId: new kms.Key(stack, 'Key').keyArn, retentionInDays: new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber,
      });
      return { fn: cfnFunction(stack, { loggingConfig: { logGroup: group.ref } }, 'Fn'), check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged on the function: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = l2(stack, 'Fn');
      Validations.of(fn).acknowledge({ id: logGroup.id, reason: 'logs nothing' });
      const id = idOf(stack, 'Fn');
      return { fn, check: [{ on: fn, problem: `no log group of its own: Lambda creates /aws/lambda/<name of ${id}> unencrypted and kept forever` }] };
    },
    reported: false,
  },
  {
    name: 'acknowledged on the log group it reports',
    build: (stack) => {
      const group = new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
      const fn = l2(stack, 'Fn', { logGroup: group });
      Validations.of(group).acknowledge({ id: logGroup.id, reason: 'the account encrypts every log group with its own key' });
      return { fn, check: [{ on: group, problem: `log group ${idOf(stack, 'Logs')} is not encrypted with a customer-managed key` }] };
    },
    reported: false,
  },
]);
