import { Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { webRevisionCmk } from '../../../src/rules/lambda/lambda-web-revision-cmk';
import { webRevision, parameterOrNone } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'the revision has no KmsKeyArn: its code and environment are encrypted with an AWS-owned key';

ruleTable(webRevisionCmk, [
  {
    name: 'compliant: a key of the stack',
    build: (stack) => ({ fn: webRevision(stack, 'Revision', { kmsKeyArn: new kms.Key(stack, 'Key').keyArn }), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: no KmsKeyArn, on the revision',
    build: (stack) => ({ fn: webRevision(stack, 'Revision'), check: [{ on: 'Revision', problem: PROBLEM }] }),
    guardPointsAt: () => ['Revision'],
  },
  {
    name: 'unresolved: a key chosen by a condition may be none',
    build: (stack) => {
      return { fn: webRevision(stack, 'Revision', { kmsKeyArn: parameterOrNone(stack, 'KeyArn') }), check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const revision = webRevision(stack, 'Revision');
      Validations.of(revision).acknowledge({ id: webRevisionCmk.id, reason: 'a public demo without data' });
      return { fn: revision, check: [{ on: revision, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
