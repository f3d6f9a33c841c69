import { Aws, CfnCondition, Duration, Fn, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { durableCmk } from '../../../src/rules/lambda/lambda-durable-cmk';
import { parameterOrNone } from '../../support/lambda-resources';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'durable execution is on without DurableConfig.KMSKeyArn: its state is encrypted with an AWS-owned key';

ruleTable(durableCmk, [
  {
    name: 'compliant: not durable',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: durable under a key of the stack',
    build: (stack) => ({ fn: cfnFunction(stack, { durableConfig: { executionTimeout: 3600, kmsKeyArn: new kms.Key(stack, 'Key').keyArn } }, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: durable on an L2 without a key, on the function',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'L2', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('x'),
        durableConfig: { executionTimeout: Duration.hours(1) },
      });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('L2').node.defaultChild as lambda.CfnFunction).logicalId)],
  },
  {
    name: 'unresolved: a key chosen by a condition may be none',
    build: (stack) => ({ fn: cfnFunction(stack, { durableConfig: { executionTimeout: 3600, kmsKeyArn: parameterOrNone(stack, 'Key') } }, 'Fn'), check: 'UNRESOLVED' }),
  },
  {
    name: 'unresolved: a whole config chosen by a condition',
    build: (stack) => ({
      fn: cfnFunction(stack, {
        durableConfig: Fn.conditionIf(new CfnCondition(stack, 'Durable', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') }).logicalId, { ExecutionTimeout: 60 }, Aws.NO_VALUE) as any,
      }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = cfnFunction(stack, { durableConfig: { executionTimeout: 60 } }, 'Fn');
      Validations.of(fn).acknowledge({ id: durableCmk.id, reason: 'steps carry only public identifiers' });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
