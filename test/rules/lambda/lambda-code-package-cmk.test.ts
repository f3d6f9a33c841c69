import { CfnCondition, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { codePackageCmk } from '../../../src/rules/lambda/lambda-code-package-cmk';
import { plainL2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'the code package is encrypted with an AWS-owned key (no Code.SourceKMSKeyArn)';

/** The L1 of a plain L2 function `Fn`. */
function l2(stack: Stack): lambda.CfnFunction {
  return plainL2(stack, 'Fn').node.defaultChild as lambda.CfnFunction;
}

ruleTable(codePackageCmk, [
  {
    name: 'compliant: Code.SourceKMSKeyArn set on an L2 by a property override (as SecureFunction does)',
    build: (stack) => {
      const fn = l2(stack);
      fn.addPropertyOverride('Code.SourceKMSKeyArn', new kms.Key(stack, 'Key').keyArn);
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: Code.SourceKMSKeyArn on the L1',
    build: (stack) => ({
      fn: cfnFunction(stack, { code: { s3Bucket: 'bucket', s3Key: 'fn.zip', sourceKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' } }, 'Fn'),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: no SourceKMSKeyArn, on an L2',
    build: (stack) => {
      const fn = l2(stack);
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
  },
  {
    name: 'non-compliant: no SourceKMSKeyArn, on an L1 (a warning), on the function',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: [{ on: 'Fn', problem: PROBLEM }] }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'not applicable: a container image',
    build: (stack) => ({
      fn: cfnFunction(stack, {
        runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc' },
      }, 'Fn'),
      check: 'NOT_APPLICABLE',
    }),
  },
  {
    name: 'unresolved: a key chosen by a condition may be absent',
    build: (stack) => {
      const encrypt = new CfnCondition(stack, 'Encrypt', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
      const fn = cfnFunction(stack, {}, 'Fn');
      fn.addPropertyOverride('Code.SourceKMSKeyArn', Fn.conditionIf(encrypt.logicalId, 'arn:aws:kms:us-east-1:123456789012:key/abc', Fn.ref('AWS::NoValue')));
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      Validations.of(fn).acknowledge({ id: codePackageCmk.id, reason: 'public sample code' });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
