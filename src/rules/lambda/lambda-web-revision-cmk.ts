import { resourcePropertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** A web function revision is encrypted with a customer-managed key. */
export const webRevisionCmk = resourcePropertyRule({
  id: 'lambda-web-revision-cmk',
  title: 'Web function revisions are encrypted with a customer-managed KMS key',
  severity: RuleSeverity.BLOCK,
  why: 'A revision carries the code and the environment variables of a web function; without KmsKeyArn they rest under an AWS-owned key that no key policy restricts and no CloudTrail event shows.',
  fix: 'Pass kmsKey to lambda.WebFunction (the stack\'s BaselineKey works), or set KmsKeyArn on the AWS::Lambda::WebFunctionRevision.',
  controls: {
    nist80053: ['SC-12', 'SC-13', 'SC-28'],
    pciDss: ['3.4'],
    hipaa: ['164.312(a)(2)(iv)'],
  },
}, 'AWS::Lambda::WebFunctionRevision', {
  notes: ['A KmsKeyArn that is not empty (a reference, a parameter or a condition counts as a key).'],
  passWhen: [{ kind: 'non-empty', path: 'KmsKeyArn' }],
  problem: () => 'the revision has no KmsKeyArn: its code and environment are encrypted with an AWS-owned key',
});
