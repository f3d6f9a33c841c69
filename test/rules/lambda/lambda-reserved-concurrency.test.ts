import { CfnParameter, Validations } from 'aws-cdk-lib';
import { reservedConcurrency } from '../../../src/rules/lambda/lambda-reserved-concurrency';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'no reserved concurrency: the function can use all of the account\'s unreserved concurrency';

ruleTable(reservedConcurrency, [
  {
    name: 'compliant: a reservation of 5, on an L1',
    build: (stack) => ({ fn: cfnFunction(stack, { reservedConcurrentExecutions: 5 }, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: a reservation of 0 (a deliberate stop switch), on an L1',
    build: (stack) => ({ fn: cfnFunction(stack, { reservedConcurrentExecutions: 0 }, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: a reservation of 10, on an L2',
    build: (stack) => ({ fn: l2(stack, 'Reserved', { reservedConcurrentExecutions: 10 }), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: no reservation, on an L1, on the function',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: [{ on: 'Fn', problem: PROBLEM }] }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'non-compliant: no reservation, on an L2',
    build: (stack) => {
      const fn = l2(stack, 'Unreserved');
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
  },
  {
    name: 'unresolved: a reservation from a parameter is not judged',
    build: (stack) => ({
      fn: cfnFunction(stack, { reservedConcurrentExecutions: new CfnParameter(stack, 'Reserved', { type: 'Number' }).valueAsNumber }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      Validations.of(fn).acknowledge({ id: reservedConcurrency.id, reason: 'a batch job that may use the whole account' });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
