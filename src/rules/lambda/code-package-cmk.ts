import { zipFunctionsLet } from '../guard/guard-dsl';
import { LambdaRule, RuleSeverity } from '../rule';

/** The .zip deployment package encrypted with a customer-managed key. */
export const codePackageCmk: LambdaRule = {
  id: 'lambda-code-package-cmk',
  title: 'The .zip deployment package is encrypted with a customer-managed KMS key (Code.SourceKMSKeyArn)',
  severity: RuleSeverity.WARN,
  why: 'Lambda otherwise stores the code package under an AWS-owned key: no key policy limits who can download it (lambda:GetFunction), and the code often holds business logic and endpoints worth protecting like data.',
  fix: 'Use SecureFunction (it sets Code.SourceKMSKeyArn to its key), or set it on the L1: (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride(\'Code.SourceKMSKeyArn\', key.keyArn).',
  controls: {
    nist80053: ['SC-12', 'SC-28'],
  },
  check(view) {
    if (view.isImage) {
      // An image lives in ECR, encrypted by the repository's own settings.
      return 'NOT_APPLICABLE';
    }
    const key = view.props.Code?.SourceKMSKeyArn;
    if (key === undefined || key === '') {
      return [{ resource: view.fn.resource, problem: 'the code package is encrypted with an AWS-owned key (no Code.SourceKMSKeyArn)' }];
    }
    // A key from a condition may be AWS::NoValue; a reference or parameter is a key.
    return key !== null && typeof key === 'object' && 'Fn::If' in key ? 'UNRESOLVED' : 'COMPLIANT';
  },
  guard: ({ name, functions, message }) => `
${zipFunctionsLet(`${name}_zip_functions`, functions)}

rule ${name} when %${functions} !empty {
    # An image lives in ECR, encrypted by the repository's own settings: not judged.
    when %${name}_zip_functions !empty {
        %${name}_zip_functions.Properties {
            # Any key but an empty string: a reference, a parameter or a condition counts.
            Code.SourceKMSKeyArn not in ['']
            ${message}
        }
    }
}`,
};
