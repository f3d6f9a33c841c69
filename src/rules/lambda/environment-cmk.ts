import { isConditional, isIntrinsic } from '../../cfn/references';
import { LambdaRule, RuleSeverity } from '../rule';

/** The keys of an intrinsic function object (isIntrinsic), as a Guard regex. */
const INTRINSIC_KEY = '/^(Ref$|Fn::)/';

/** Environment variables encrypted with a customer-managed key. */
export const environmentCmk: LambdaRule = {
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
  check(view) {
    const variables = view.props.Environment?.Variables;
    if (variables === undefined) {
      return 'COMPLIANT';
    }
    if (isIntrinsic(variables) || isIntrinsic(view.props.Environment)) {
      return 'UNRESOLVED';
    }
    const count = Object.keys(variables).length;
    if (count === 0) {
      return 'COMPLIANT';
    }
    const key = view.props.KmsKeyArn;
    if (key === undefined || key === '') {
      return [{ resource: view.fn.resource, problem: `${count} environment variable${count === 1 ? '' : 's'} encrypted with the AWS-managed key (no KmsKeyArn)` }];
    }
    // A key from a condition may be AWS::NoValue; a reference or parameter is a key.
    return isConditional(key) ? 'UNRESOLVED' : 'COMPLIANT';
  },
  guard: ({ name, functions, message }) => `
rule ${name} when %${functions} !empty {
    %${functions}.Properties {
        # No variables, an empty map, or variables from a parameter or an intrinsic
        # function (a key Ref or Fn::*, not judged); otherwise a KmsKeyArn that is not
        # empty (a reference, a parameter or a condition counts as a key).
        Environment.Variables not exists or
        Environment.Variables empty or
        Environment[ keys == ${INTRINSIC_KEY} ] !empty or
        Environment.Variables[ keys == ${INTRINSIC_KEY} ] !empty or
        KmsKeyArn not in ['']
        ${message}
    }
}`,
};
