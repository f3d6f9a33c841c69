import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { tracing } from '../../../src/rules/lambda/lambda-tracing';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

ruleTable(tracing, [
  {
    name: 'compliant: TracingConfig.Mode Active',
    build: (stack) => ({ fn: cfnFunction(stack, { tracingConfig: { mode: 'Active' } }, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: no TracingConfig, on the function',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: [{ on: 'Fn', problem: 'tracing is not configured' }] }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'non-compliant: PassThrough on an L1',
    build: (stack) => ({ fn: cfnFunction(stack, { tracingConfig: { mode: 'PassThrough' } }, 'Fn'), check: [{ on: 'Fn', problem: "tracing is 'PassThrough'" }] }),
  },
  {
    name: 'non-compliant: PassThrough on an L2',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'L2', {
        runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), tracing: lambda.Tracing.PASS_THROUGH,
      });
      return { fn, check: [{ on: fn, problem: "tracing is 'PassThrough'" }] };
    },
  },
  {
    name: 'unresolved: a mode from a parameter is not judged',
    build: (stack) => ({ fn: cfnFunction(stack, { tracingConfig: { mode: new CfnParameter(stack, 'Mode').valueAsString } }, 'Fn'), check: 'UNRESOLVED' }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      Validations.of(fn).acknowledge({ id: tracing.id, reason: 'tracing is sampled by the platform agent' });
      return { fn, check: [{ on: fn, problem: 'tracing is not configured' }] };
    },
    reported: false,
  },
]);
