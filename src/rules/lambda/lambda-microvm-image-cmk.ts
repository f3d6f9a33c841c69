import { resourcePropertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** A MicroVM image is encrypted with a customer-managed key. */
export const microvmImageCmk = resourcePropertyRule({
  id: 'lambda-microvm-image-cmk',
  title: 'MicroVM images are encrypted with a customer-managed KMS key',
  severity: RuleSeverity.BLOCK,
  why: 'A MicroVM image holds the code, its dependencies and the environment variables baked into it; without KmsKeyIdentifier it rests under an AWS-owned key that no key policy restricts and no CloudTrail event shows.',
  fix: 'Set KmsKeyIdentifier on the AWS::Lambda::MicrovmImage to a customer-managed key (the stack\'s BaselineKey works) that the image\'s build role may use; aws-cdk-lib 2.276 validates against a schema without the property, so acknowledge CloudFormation-Validate::F3002 on the image.',
  controls: {
    nist80053: ['SC-12', 'SC-13', 'SC-28'],
    pciDss: ['3.4'],
    hipaa: ['164.312(a)(2)(iv)'],
  },
}, 'AWS::Lambda::MicrovmImage', {
  notes: ['A KmsKeyIdentifier that is not empty (a reference, a parameter or a condition counts as a key).'],
  passWhen: [{ kind: 'non-empty', path: 'KmsKeyIdentifier' }],
  problem: (properties) => `image ${JSON.stringify(properties.Name ?? '')} has no KmsKeyIdentifier: it is encrypted with an AWS-owned key`,
});
