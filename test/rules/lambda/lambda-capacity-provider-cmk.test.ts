import { Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { capacityProviderCmk } from '../../../src/rules/lambda/lambda-capacity-provider-cmk';
import { capacityProvider, parameterOrNone } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'the capacity provider has no KmsKeyArn: its instances\' storage is encrypted with an AWS-owned key';

ruleTable(capacityProviderCmk, [
  {
    name: 'compliant: a key of the stack',
    build: (stack) => ({ fn: capacityProvider(stack, 'Provider', { kmsKeyArn: new kms.Key(stack, 'Key').keyArn }), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: no KmsKeyArn, on the provider',
    build: (stack) => ({ fn: capacityProvider(stack, 'Provider'), check: [{ on: 'Provider', problem: PROBLEM }] }),
    guardPointsAt: () => ['Provider'],
  },
  {
    name: 'unresolved: a key chosen by a condition may be none',
    build: (stack) => ({
      fn: capacityProvider(stack, 'Provider', { kmsKeyArn: parameterOrNone(stack, 'Key') }),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const provider = capacityProvider(stack, 'Provider');
      Validations.of(provider).acknowledge({ id: capacityProviderCmk.id, reason: 'a sandbox account without data' });
      return { fn: provider, check: [{ on: provider, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
