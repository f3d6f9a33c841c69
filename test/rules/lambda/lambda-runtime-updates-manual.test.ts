import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { runtimeUpdatesManual } from '../../../src/rules/lambda/lambda-runtime-updates-manual';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const VERSION = 'arn:aws:lambda:us-east-1::runtime:0b5ee4bb1a8cbc0a5b0a3fbd1e8c2e9c2c6ad3f7d2d9f1a0e4f3f5a6b7c8d9e0';

ruleTable(runtimeUpdatesManual, [
  {
    name: 'compliant: no runtime management config (Auto)',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: FunctionUpdate on an L2',
    build: (stack) => ({
      fn: new lambda.Function(stack, 'L2', {
        runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), runtimeManagementMode: lambda.RuntimeManagementMode.FUNCTION_UPDATE,
      }),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: Manual on an L2, pinned to a version, on the function',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'L2', {
        runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), runtimeManagementMode: lambda.RuntimeManagementMode.manual(VERSION),
      });
      return { fn, check: [{ on: fn, problem: `runtime management is 'Manual' (pinned to "${VERSION}"): the runtime receives no security patches until it is changed` }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('L2').node.defaultChild as lambda.CfnFunction).logicalId)],
  },
  {
    name: 'unresolved: a mode from a parameter is not judged',
    build: (stack) => ({
      fn: cfnFunction(stack, { runtimeManagementConfig: { updateRuntimeOn: new CfnParameter(stack, 'Mode').valueAsString } }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: a rollback, with its reason',
    build: (stack) => {
      const fn = cfnFunction(stack, { runtimeManagementConfig: { updateRuntimeOn: 'Manual', runtimeVersionArn: VERSION } }, 'Fn');
      Validations.of(fn).acknowledge({ id: runtimeUpdatesManual.id, reason: 'rolled back after a runtime regression (ticket 4711), until 2027-01-15' });
      return { fn, check: [{ on: fn, problem: /runtime management is 'Manual'/ }] };
    },
    reported: false,
  },
]);
