import { propertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** Environment variables encrypted with a customer-managed key. */
export const environmentCmk = propertyRule({
  id: 'lambda-env-cmk',
  title: 'Environment variables are encrypted with a customer-managed KMS key',
  severity: RuleSeverity.BLOCK,
  why: 'With the AWS-managed key anyone allowed lambda:GetFunctionConfiguration reads the variables in clear: no key policy restricts who decrypts them and no key usage is logged apart from the function\'s.',
  fix: 'Use SecureFunction (it encrypts with the stack key or encryptionKey), or set environmentEncryption on a lambda.Function, or KmsKeyArn on a CfnFunction.',
  controls: {
    nist80053: ['SC-12', 'SC-13', 'SC-28'],
    pciDss: ['3.4'],
    hipaa: ['164.312(a)(2)(iv)'],
  },
}, {
  scope: 'functions',
  notes: [
    'No variables, an empty map, or variables from a parameter or an intrinsic',
    'function (a key Ref or Fn::*, not judged); otherwise a KmsKeyArn that is not',
    'empty (a reference, a parameter or a condition counts as a key).',
  ],
  passWhen: [
    { kind: 'absent', path: 'Environment.Variables' },
    { kind: 'empty', path: 'Environment.Variables' },
    { kind: 'intrinsic-object', path: 'Environment' },
    { kind: 'intrinsic-object', path: 'Environment.Variables' },
    // A key from a condition may be AWS::NoValue (not judged); a reference or parameter is a key.
    { kind: 'non-empty', path: 'KmsKeyArn' },
  ],
  problem: (properties) => {
    const count = Object.keys(properties.Environment.Variables).length;
    return `${count} environment variable${count === 1 ? '' : 's'} encrypted with the AWS-managed key (no KmsKeyArn)`;
  },
});
