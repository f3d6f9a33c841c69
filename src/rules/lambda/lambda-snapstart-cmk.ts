import { propertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** SnapStart snapshots are encrypted with a customer-managed key. */
export const snapStartCmk = propertyRule({
  id: 'lambda-snapstart-cmk',
  title: 'SnapStart snapshots are encrypted with a customer-managed KMS key',
  severity: RuleSeverity.BLOCK,
  why: 'A SnapStart snapshot holds the memory of the initialized function: whatever the code loaded at start (configuration, fetched secrets, keys) is kept at rest. Lambda encrypts it with the function\'s KmsKeyArn, else with an AWS-owned key no key policy or log controls.',
  fix: 'Use SecureFunction or LambdaHardening with snapStart (snapshots under the function\'s key), or set KmsKeyArn on a function with SnapStart (environmentEncryption on lambda.Function).',
  controls: {
    nist80053: ['SC-12', 'SC-28'],
    pciDss: ['3.4'],
    hipaa: ['164.312(a)(2)(iv)'],
  },
}, {
  scope: 'functions',
  notes: [
    'No SnapStart, or SnapStart on None; otherwise a KmsKeyArn that is not empty.',
    'A setting from a parameter or an intrinsic function is not judged.',
  ],
  passWhen: [
    { kind: 'absent', path: 'SnapStart.ApplyOn' },
    { kind: 'equals', path: 'SnapStart.ApplyOn', value: 'None' },
    { kind: 'intrinsic-object', path: 'SnapStart' },
    { kind: 'intrinsic', path: 'SnapStart.ApplyOn' },
    { kind: 'non-empty', path: 'KmsKeyArn' },
  ],
  problem: (properties) => `SnapStart is on (${properties.SnapStart.ApplyOn}) and the function has no KmsKeyArn: its snapshots are encrypted with an AWS-owned key`,
});
