import * as lambda from 'aws-cdk-lib/aws-lambda';
import { isLiteral } from '../../cfn/references';
import { deprecationDateOfName } from '../data/runtimes';
import { LambdaRule, RuleSeverity } from '../rule';

/** A runtime that still receives security patches. */
export const runtimeDeprecated: LambdaRule = {
  id: 'lambda-runtime-deprecated',
  title: 'The runtime still receives security patches (not past its deprecation date)',
  severity: RuleSeverity.BLOCK,
  why: 'After its deprecation date AWS no longer patches a runtime: known vulnerabilities in the language runtime and its libraries stay open in the function.',
  fix: 'Use a supported runtime, the newest of its family (lambda.Runtime.NODEJS_24_X, PYTHON_3_13...): SecureFunction refuses deprecated ones; on a CfnFunction set Runtime.',
  controls: {
    nist80053: ['SI-2', 'SA-22'],
    pciDss: ['6.2'],
    securityHub: ['Lambda.2'],
  },
  check(view) {
    if (view.isImage) {
      // The runtime is inside the image: Lambda neither knows nor patches it.
      return 'NOT_APPLICABLE';
    }
    const runtime = view.props.Runtime;
    if (runtime === undefined) {
      return 'NOT_APPLICABLE';
    }
    if (!isLiteral(runtime) || typeof runtime !== 'string') {
      return 'UNRESOLVED';
    }
    const date = deprecationDateOfName(runtime);
    return date === undefined
      ? 'COMPLIANT'
      : [{ resource: view.fn.resource, problem: `runtime ${runtime} is deprecated since ${date} (no more security patches)` }];
  },
};

/**
 * The runtimes past their deprecation date today, among every runtime CDK names
 * (lambda.Runtime's static members and Runtime.ALL, deprecated ones included).
 */
export function deprecatedRuntimeNames(now: Date = new Date()): string[] {
  const runtimes = [...lambda.Runtime.ALL, ...Object.values(lambda.Runtime).filter((value) => value instanceof lambda.Runtime)];
  return [...new Set(runtimes.map((runtime) => runtime.name))]
    .filter((runtimeName) => deprecationDateOfName(runtimeName, now) !== undefined)
    .sort();
}
