import { CfnCondition, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { environmentCmk } from '../../../src/rules/lambda/lambda-env-cmk';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

/** The condition 'Encrypt', on a parameter. */
function encryptCondition(stack: Stack): CfnCondition {
  return new CfnCondition(stack, 'Encrypt', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Flag').valueAsString, 'yes') });
}

ruleTable(environmentCmk, [
  {
    name: 'compliant: lambda.Function with environmentEncryption',
    build: (stack) => ({ fn: l2(stack, 'Encrypted', { environment: { TABLE: 'orders' }, environmentEncryption: new kms.Key(stack, 'Key') }), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: no variables need no key (L1)',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: an empty Variables map needs no key (L1)',
    build: (stack) => ({ fn: cfnFunction(stack, { environment: { variables: {} } }, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: no variables need no key (L2)',
    build: (stack) => ({ fn: l2(stack, 'NoEnv'), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: variables without a key, on an L2',
    build: (stack) => {
      const fn = l2(stack, 'Plain', { environment: { TABLE: 'orders' } });
      return { fn, check: [{ on: fn, problem: '1 environment variable encrypted with the AWS-managed key (no KmsKeyArn)' }] };
    },
  },
  {
    name: 'non-compliant: variables without a key, on an L1, on the function',
    build: (stack) => {
      const fn = cfnFunction(stack, { environment: { variables: { STAGE: 'prod', TABLE: 'orders' } } }, 'Fn');
      return { fn, check: [{ on: 'Fn', problem: '2 environment variables encrypted with the AWS-managed key (no KmsKeyArn)' }] };
    },
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'unresolved: a key chosen by a condition may be absent',
    build: (stack) => {
      const encrypt = encryptCondition(stack);
      const fn = cfnFunction(stack, {
        environment: { variables: { STAGE: 'prod' } },
        kmsKeyArn: Fn.conditionIf(encrypt.logicalId, 'arn:aws:kms:us-east-1:123456789012:key/abc', Fn.ref('AWS::NoValue')).toString(),
      }, 'Fn');
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'unresolved: variables from a condition',
    build: (stack) => {
      const encrypt = encryptCondition(stack);
      const fn = cfnFunction(stack, {}, 'Fn');
      fn.addPropertyOverride('Environment.Variables', { 'Fn::If': [encrypt.logicalId, { STAGE: 'prod' }, { Ref: 'AWS::NoValue' }] });
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = l2(stack, 'Plain', { environment: { TABLE: 'orders' } });
      Validations.of(fn).acknowledge({ id: environmentCmk.id, reason: 'only non-sensitive settings in the environment' });
      return { fn, check: [{ on: fn, problem: '1 environment variable encrypted with the AWS-managed key (no KmsKeyArn)' }] };
    },
    reported: false,
  },
]);
