import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { logLevelVerbose } from '../../../src/rules/lambda/lambda-log-level-verbose';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

ruleTable(logLevelVerbose, [
  {
    name: 'compliant: no logging config',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: INFO and WARN with a log group of the stack',
    build: (stack) => ({
      fn: cfnFunction(stack, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'WARN', logGroup: new logs.CfnLogGroup(stack, 'Logs').ref } }, 'Fn'),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: DEBUG application logs on an L2, on the function',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'L2', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('x'),
        loggingFormat: lambda.LoggingFormat.JSON,
        applicationLogLevelV2: lambda.ApplicationLogLevel.DEBUG,
      });
      return { fn, check: [{ on: fn, problem: 'ApplicationLogLevel is DEBUG' }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('L2').node.defaultChild as lambda.CfnFunction).logicalId)],
  },
  {
    name: 'non-compliant: TRACE for both',
    build: (stack) => ({
      fn: cfnFunction(stack, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'TRACE', systemLogLevel: 'DEBUG' } }, 'Fn'),
      check: [{ on: 'Fn', problem: 'ApplicationLogLevel is TRACE and SystemLogLevel is DEBUG' }],
    }),
  },
  {
    name: 'unresolved: a level from a parameter is not judged',
    build: (stack) => ({
      fn: cfnFunction(stack, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: new CfnParameter(stack, 'Level').valueAsString } }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: an investigation, with its reason',
    build: (stack) => {
      const fn = cfnFunction(stack, { loggingConfig: { logFormat: 'JSON', systemLogLevel: 'DEBUG' } }, 'Fn');
      Validations.of(fn).acknowledge({ id: logLevelVerbose.id, reason: 'cold-start investigation, ticket 815, until Friday' });
      return { fn, check: [{ on: fn, problem: 'SystemLogLevel is DEBUG' }] };
    },
    reported: false,
  },
]);
