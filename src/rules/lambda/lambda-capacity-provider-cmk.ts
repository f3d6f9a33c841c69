import { resourcePropertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** A capacity provider's instances are encrypted with a customer-managed key. */
export const capacityProviderCmk = resourcePropertyRule({
  id: 'lambda-capacity-provider-cmk',
  title: 'Lambda Managed Instances capacity providers encrypt with a customer-managed KMS key',
  severity: RuleSeverity.BLOCK,
  why: 'The instances of a capacity provider hold the code and the data of every function that runs on them; without KmsKeyArn their storage rests under an AWS-owned key that no key policy restricts and no CloudTrail event shows.',
  fix: 'Pass kmsKey to lambda.CapacityProvider (the stack\'s BaselineKey works), or set KmsKeyArn on the AWS::Lambda::CapacityProvider.',
  controls: {
    nist80053: ['SC-12', 'SC-13', 'SC-28'],
    pciDss: ['3.4'],
    hipaa: ['164.312(a)(2)(iv)'],
  },
}, 'AWS::Lambda::CapacityProvider', {
  notes: ['A KmsKeyArn that is not empty (a reference, a parameter or a condition counts as a key).'],
  passWhen: [{ kind: 'non-empty', path: 'KmsKeyArn' }],
  problem: () => 'the capacity provider has no KmsKeyArn: its instances\' storage is encrypted with an AWS-owned key',
});
