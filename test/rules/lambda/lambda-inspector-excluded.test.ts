import { Aws, CfnCondition, CfnParameter, Fn, Tags, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { inspectorExcluded } from '../../../src/rules/lambda/lambda-inspector-excluded';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

ruleTable(inspectorExcluded, [
  {
    name: 'compliant: no tags',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: other tags, and an exclusion key with another value (Inspector reads the pair)',
    build: (stack) => ({
      fn: cfnFunction(stack, { tags: [{ key: 'team', value: 'payments' }, { key: 'InspectorExclusion', value: 'no' }] }, 'Fn'),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: an L2 tagged out of standard scanning, on the function',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'L2', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
      (fn.node.defaultChild as lambda.CfnFunction).tags.setTag('InspectorExclusion', 'LambdaStandardScanning');
      return { fn, check: [{ on: fn, problem: 'tagged InspectorExclusion=LambdaStandardScanning: Inspector does not scan it' }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('L2').node.defaultChild as lambda.CfnFunction).logicalId)],
  },
  {
    // Tags.of tags at synthesis: the check asked before sees none; LambdaRulesAspect judges after every tag is applied.
    name: 'non-compliant: Tags.of on a stack, applied at synthesis, reported by the Aspect and Guard alike',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'L2', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
      Tags.of(stack).add('InspectorCodeExclusion', 'LambdaCodeScanning');
      return { fn, check: 'COMPLIANT' };
    },
    reported: true,
  },
  {
    name: 'non-compliant: out of code scanning too',
    build: (stack) => ({
      fn: cfnFunction(stack, { tags: [{ key: 'InspectorExclusion', value: 'LambdaStandardScanning' }, { key: 'InspectorCodeExclusion', value: 'LambdaCodeScanning' }] }, 'Fn'),
      check: [{ on: 'Fn', problem: 'tagged InspectorCodeExclusion=LambdaCodeScanning and InspectorExclusion=LambdaStandardScanning: Inspector does not scan it' }],
    }),
  },
  {
    name: 'compliant: an exclusion key with a value from a parameter is not taken for an exclusion',
    build: (stack) => ({
      fn: cfnFunction(stack, { tags: [{ key: 'InspectorCodeExclusion', value: new CfnParameter(stack, 'Exclude').valueAsString }] }, 'Fn'),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'unresolved: tags from an intrinsic function are not judged',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      fn.addPropertyOverride('Tags', { 'Fn::If': [new CfnCondition(stack, 'Tagged', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') }).logicalId, [{ Key: 'a', Value: 'b' }], Aws.NO_VALUE] });
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = cfnFunction(stack, { tags: [{ key: 'InspectorCodeExclusion', value: 'LambdaCodeScanning' }] }, 'Fn');
      Validations.of(fn).acknowledge({ id: inspectorExcluded.id, reason: 'generated code scanned in its own repository' });
      return { fn, check: [{ on: fn, problem: 'tagged InspectorCodeExclusion=LambdaCodeScanning: Inspector does not scan it' }] };
    },
    reported: false,
  },
]);
