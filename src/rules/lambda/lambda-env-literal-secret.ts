import { isIntrinsic, isLiteral } from '../../cfn/references';
import { findLiteralSecret } from '../data/environment-checks';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';

/** No environment variable holds a secret written in plain text. */
export const environmentLiteralSecret: LambdaRule = {
  id: 'lambda-env-literal-secret',
  title: 'No environment variable holds a literal secret',
  severity: RuleSeverity.BLOCK,
  why: 'A secret written into the template is readable by anyone who can read the template, the cloud assembly, the source repository or GetFunctionConfiguration, and it cannot be rotated without a deployment.',
  fix: 'Pass the secret through secrets (Secrets Manager) or parameters (SSM Parameter Store) on SecureFunction; on lambda.Function or a CfnFunction put only the secret\'s ARN or name in the environment and read the value at runtime.',
  controls: {
    nist80053: ['IA-5', 'SC-28'],
    pciDss: ['3.4', '8.2.1'],
    hipaa: ['164.312(a)(2)(iv)'],
  },
  check(view) {
    const environment = view.props.Environment;
    if (isIntrinsic(environment) || isIntrinsic(environment?.Variables)) {
      return 'UNRESOLVED';
    }
    const entries = Object.entries((environment?.Variables ?? {}) as Record<string, unknown>);
    const violations: RuleViolation[] = [];
    let tokens = 0;
    for (const [name, value] of entries) {
      if (!isLiteral(value)) {
        tokens++; // a reference, parameter or join: not a literal secret, and not judged
        continue;
      }
      const finding = typeof value === 'string' ? findLiteralSecret(name, value) : undefined;
      if (finding) {
        // The finding's description never holds the value (at most a 4-character preview).
        violations.push({ resource: view.fn.resource, problem: `environment variable ${name} holds a literal secret: ${finding.description}` });
      }
    }
    if (violations.length > 0) {
      return violations;
    }
    return entries.length > 0 && tokens === entries.length ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
