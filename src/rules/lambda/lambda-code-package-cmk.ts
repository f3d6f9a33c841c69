import { propertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** The .zip deployment package encrypted with a customer-managed key. */
export const codePackageCmk = propertyRule({
  id: 'lambda-code-package-cmk',
  title: 'The .zip deployment package is encrypted with a customer-managed KMS key (Code.SourceKMSKeyArn)',
  severity: RuleSeverity.WARN,
  why: 'Lambda otherwise stores the code package under an AWS-owned key: no key policy limits who can download it (lambda:GetFunction), and the code often holds business logic and endpoints worth protecting like data.',
  fix: 'Use SecureFunction (it sets Code.SourceKMSKeyArn to its key), or set it on the L1: (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride(\'Code.SourceKMSKeyArn\', key.keyArn).',
  controls: {
    nist80053: ['SC-12', 'SC-28'],
  },
}, {
  scope: 'zip-functions',
  scopeNote: 'An image lives in ECR, encrypted by the repository\'s own settings: not judged.',
  notes: ['Any key but an empty string: a reference, a parameter or a condition counts.'],
  // A key from a condition may be AWS::NoValue (not judged); a reference or parameter is a key.
  passWhen: [{ kind: 'non-empty', path: 'Code.SourceKMSKeyArn' }],
  problem: () => 'the code package is encrypted with an AWS-owned key (no Code.SourceKMSKeyArn)',
});
