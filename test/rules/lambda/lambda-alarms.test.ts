import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { alarms } from '../../../src/rules/lambda/lambda-alarms';
import { plainL2 as l2 } from '../../support/guard-harness';
import { alarmOn, cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'no CloudWatch alarm on the function\'s Errors metric';

/** The logical id of the L2 function `Fn`. */
const fnId = (stack: Stack): string => stack.resolve((stack.node.findChild('Fn').node.defaultChild as lambda.CfnFunction).logicalId);

ruleTable(alarms, [
  {
    name: 'compliant: fn.metricErrors().createAlarm on an L2',
    build: (stack) => {
      const fn = l2(stack);
      fn.metricErrors().createAlarm(stack, 'Errors', { threshold: 1, evaluationPeriods: 1 });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: an Errors alarm on an alias (a version stands for the function too)',
    build: (stack) => {
      const fn = l2(stack);
      const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
      alias.metricErrors().createAlarm(stack, 'AliasErrors', { threshold: 1, evaluationPeriods: 1 });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: an Errors alarm whose dimension is an alias reference',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: '$LATEST', name: 'live' });
      alarmOn(stack, 'AliasErrors', 'Errors', alias.ref);
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: an Errors alarm naming the function by its literal name',
    build: (stack) => {
      const fn = cfnFunction(stack, { functionName: 'orders' }, 'Fn');
      alarmOn(stack, 'ByName', 'Errors', 'orders');
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: no alarm, reported on the function',
    build: (stack) => {
      const fn = l2(stack);
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    guardPointsAt: (stack) => [fnId(stack)],
  },
  {
    name: 'non-compliant: alarms on other metrics only',
    build: (stack) => {
      const fn = l2(stack);
      fn.metricThrottles().createAlarm(stack, 'Throttles', { threshold: 1, evaluationPeriods: 1 });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
  },
  {
    name: 'non-compliant: an Errors alarm on another function does not count',
    build: (stack) => {
      const fn = l2(stack);
      l2(stack, 'Other').metricErrors().createAlarm(stack, 'OtherErrors', { threshold: 1, evaluationPeriods: 1 });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    guardPointsAt: (stack) => [fnId(stack)],
  },
  {
    name: 'unresolved: an alarm whose metric name comes from a parameter is not judged',
    build: (stack) => {
      const fn = cfnFunction(stack, { functionName: 'orders' }, 'Fn');
      alarmOn(stack, 'Param', new CfnParameter(stack, 'Metric').valueAsString, 'orders');
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: the exception on the function travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = l2(stack);
      Validations.of(fn).acknowledge({ id: alarms.id, reason: 'errors are alarmed by the platform team' });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
