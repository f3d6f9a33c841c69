import { isLiteral } from '../../cfn/references';
import { LambdaRule, RuleSeverity } from '../rule';

/** Active X-Ray tracing. */
export const tracing: LambdaRule = {
  id: 'lambda-tracing',
  title: 'Active X-Ray tracing is on',
  severity: RuleSeverity.BLOCK,
  why: 'Without traces an incident cannot be followed across services, and auditors ask for the request path of each change to data.',
  fix: 'Set tracing: lambda.Tracing.ACTIVE (SecureFunction always does), or TracingConfig.Mode: Active on a CfnFunction.',
  controls: {
    nist80053: ['AU-12', 'SI-4'],
    pciDss: ['10.2'],
    hipaa: ['164.312(b)'],
    securityHub: ['Lambda.7'],
  },
  check(view) {
    const mode = view.props.TracingConfig?.Mode;
    if (mode !== undefined && !isLiteral(mode)) {
      return 'UNRESOLVED';
    }
    return mode === 'Active'
      ? 'COMPLIANT'
      : [{ resource: view.fn.resource, problem: `tracing is ${mode === undefined ? 'not configured' : `'${mode}'`}` }];
  },
  guard: ({ name, functions, message }) => `
rule ${name} when %${functions} !empty {
    %${functions}.Properties {
        # A mode from a parameter or an intrinsic function is not judged.
        TracingConfig.Mode is_struct or
        TracingConfig.Mode == 'Active'
        ${message}
    }
}`,
};
