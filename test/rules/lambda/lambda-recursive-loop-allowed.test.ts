import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { recursiveLoopAllowed } from '../../../src/rules/lambda/lambda-recursive-loop-allowed';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = "RecursiveLoop is 'Allow': Lambda lets a recursive loop run";

ruleTable(recursiveLoopAllowed, [
  {
    name: 'compliant: unset',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: Terminate on an L2',
    build: (stack) => ({
      fn: new lambda.Function(stack, 'L2', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), recursiveLoop: lambda.RecursiveLoop.TERMINATE }),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: Allow, on the function',
    build: (stack) => ({ fn: cfnFunction(stack, { recursiveLoop: 'Allow' }, 'Fn'), check: [{ on: 'Fn', problem: PROBLEM }] }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'unresolved: a value from a parameter is not judged',
    build: (stack) => ({ fn: cfnFunction(stack, { recursiveLoop: new CfnParameter(stack, 'Loop').valueAsString }, 'Fn'), check: 'UNRESOLVED' }),
  },
  {
    name: 'acknowledged: a loop by design',
    build: (stack) => {
      const fn = cfnFunction(stack, { recursiveLoop: 'Allow' }, 'Fn');
      Validations.of(fn).acknowledge({ id: recursiveLoopAllowed.id, reason: 'a crawler that requeues pages with a depth limit in the message' });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
