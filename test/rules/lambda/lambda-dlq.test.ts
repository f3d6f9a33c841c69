import { CfnCondition, CfnParameter, Fn, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { deadLetter } from '../../../src/rules/lambda/lambda-dlq';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'no dead-letter queue and no on-failure destination: failed asynchronous events are dropped';
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:failures';
const ON_FAILURE = { onFailure: { destination: QUEUE } };

ruleTable(deadLetter, [
  {
    name: 'compliant: lambda.Function with deadLetterQueueEnabled',
    build: (stack) => ({ fn: l2(stack, 'Dlq', { deadLetterQueueEnabled: true }), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: an onFailure destination through configureAsyncInvoke',
    build: (stack) => {
      const fn = l2(stack, 'Destination');
      fn.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failures')) });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: an L1 EventInvokeConfig with OnFailure on an alias',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
      const alias = new lambda.CfnAlias(stack, 'Alias', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
      new lambda.CfnEventInvokeConfig(stack, 'Async', { functionName: alias.ref, qualifier: 'live', destinationConfig: ON_FAILURE });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: an L1 EventInvokeConfig with OnFailure naming the function by Fn::GetAtt',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'ByArn');
      new lambda.CfnEventInvokeConfig(stack, 'AsyncByArn', { functionName: fn.attrArn, qualifier: '$LATEST', destinationConfig: ON_FAILURE });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: neither, on an L1, reported on the function',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: [{ on: 'Fn', problem: PROBLEM }] }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'non-compliant: neither, on an L2',
    build: (stack) => {
      const fn = l2(stack, 'None');
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
  },
  {
    name: 'non-compliant: an L1 with an on-success destination only',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      new lambda.CfnEventInvokeConfig(stack, 'SuccessOnly', {
        functionName: fn.ref, qualifier: '$LATEST', destinationConfig: { onSuccess: { destination: 'arn:aws:sqs:us-east-1:123456789012:done' } },
      });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
  },
  {
    name: 'non-compliant: an on-failure destination on another function\'s alias does not count',
    build: (stack) => {
      const covered = cfnFunction(stack, { deadLetterConfig: { targetArn: QUEUE } }, 'Covered');
      const version = new lambda.CfnVersion(stack, 'Version', { functionName: covered.ref });
      const alias = new lambda.CfnAlias(stack, 'Alias', { functionName: covered.ref, functionVersion: version.attrVersion, name: 'live' });
      new lambda.CfnEventInvokeConfig(stack, 'Async', { functionName: alias.ref, qualifier: 'live', destinationConfig: ON_FAILURE });
      return { fn: cfnFunction(stack, {}, 'Uncovered'), check: [{ on: 'Uncovered', problem: PROBLEM }] };
    },
    guardPointsAt: () => ['Uncovered'],
  },
  {
    name: 'unresolved: a dead-letter target chosen by a condition may be absent',
    build: (stack) => {
      const keep = new CfnCondition(stack, 'Keep', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
      const targetArn = Fn.conditionIf(keep.logicalId, QUEUE, Fn.ref('AWS::NoValue')).toString();
      return { fn: cfnFunction(stack, { deadLetterConfig: { targetArn } }, 'Fn'), check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = l2(stack, 'None');
      Validations.of(fn).acknowledge({ id: deadLetter.id, reason: 'invoked synchronously only' });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
