import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { configRules } from '../../../src/rules/lambda/lambda-config-rules';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'the stack deploys no AWS Config rule for Lambda functions';

function managedRule(stack: Stack, id: string, sourceIdentifier: string): config.CfnConfigRule {
  return new config.CfnConfigRule(stack, id, { source: { owner: 'AWS', sourceIdentifier } });
}

ruleTable(configRules, [
  {
    name: 'compliant: an L2 managed rule for Lambda in the stack',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'),
      });
      new config.ManagedRule(stack, 'Dlq', { identifier: config.ManagedRuleIdentifiers.LAMBDA_DLQ_CHECK });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: an L1 LAMBDA_* rule',
    build: (stack) => {
      managedRule(stack, 'InsideVpc', 'LAMBDA_INSIDE_VPC');
      return { fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: no Config rule, on a lone function',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: [{ on: 'Fn', problem: PROBLEM }] }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'non-compliant: no Config rule, on every function',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      cfnFunction(stack, {}, 'Other');
      return { fn, check: [{ on: 'Fn', problem: PROBLEM }] };
    },
    guardPointsAt: () => ['Fn', 'Other'],
  },
  {
    name: 'non-compliant: rules for other services only',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      managedRule(stack, 'Bucket', 'S3_BUCKET_SSL_REQUESTS_ONLY');
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
  },
  {
    name: 'unresolved: a rule whose identifier comes from a parameter is not judged',
    build: (stack) => {
      managedRule(stack, 'Param', new CfnParameter(stack, 'Identifier').valueAsString);
      return { fn: cfnFunction(stack, {}, 'Fn'), check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged on the stack (rules managed centrally)',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      Validations.of(stack).acknowledge({ id: configRules.id, reason: 'Config rules come from the organization conformance pack' });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: false,
  },
  {
    name: 'acknowledged on one function: the other one still fails, alone',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      Validations.of(fn).acknowledge({ id: configRules.id, reason: 'a short-lived migration function' });
      cfnFunction(stack, {}, 'Other');
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: true,
    guardPointsAt: () => ['Other'],
  },
]);
