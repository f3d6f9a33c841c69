import { propertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** Active X-Ray tracing. */
export const tracing = propertyRule({
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
  detectedBy: ['LAMBDA_FUNCTION_XRAY_ENABLED'],
}, {
  scope: 'functions',
  notes: ['A mode from a parameter or an intrinsic function is not judged.'],
  passWhen: [
    { kind: 'intrinsic', path: 'TracingConfig.Mode' },
    { kind: 'equals', path: 'TracingConfig.Mode', value: 'Active' },
  ],
  problem: (properties) => {
    const mode = properties.TracingConfig?.Mode;
    return `tracing is ${mode === undefined ? 'not configured' : `'${mode}'`}`;
  },
});
