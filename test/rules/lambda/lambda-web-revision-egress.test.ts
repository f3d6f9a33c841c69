import { Validations } from 'aws-cdk-lib';
import { webRevisionEgress } from '../../../src/rules/lambda/lambda-web-revision-egress';
import { webRevision, parameterOrNone } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'the revision has no egress network connector: its code reaches the internet directly';
const CONNECTOR = 'arn:aws:lambda:us-east-1:123456789012:network-connector:private:1';

ruleTable(webRevisionEgress, [
  {
    name: 'compliant: an egress network connector',
    build: (stack) => ({ fn: webRevision(stack, 'Revision', {}, { egressNetworkConnectorArn: CONNECTOR }), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: no connector, on the revision',
    build: (stack) => ({ fn: webRevision(stack, 'Revision'), check: [{ on: 'Revision', problem: PROBLEM }] }),
    guardPointsAt: () => ['Revision'],
  },
  {
    name: 'unresolved: a connector from a parameter, chosen by a condition',
    build: (stack) => ({
      fn: webRevision(stack, 'Revision', {}, { egressNetworkConnectorArn: parameterOrNone(stack, 'Connector') }),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const revision = webRevision(stack, 'Revision');
      Validations.of(revision).acknowledge({ id: webRevisionEgress.id, reason: 'calls only a public API over TLS' });
      return { fn: revision, check: [{ on: revision, problem: PROBLEM }] };
    },
    reported: false,
  },
]);
