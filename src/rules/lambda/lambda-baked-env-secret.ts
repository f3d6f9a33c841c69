import { asArray, isIntrinsic, isLiteral } from '../../cfn/references';
import { ResolvedResource } from '../../cfn/stack-index';
import { findLiteralSecret } from '../data/environment-checks';
import { valueAt } from '../property-rule';
import { ResourceRule } from '../resource-rule';
import { RuleResult, RuleSeverity, RuleViolation } from '../rule';

/** Where each type keeps its variables: a map (name to value), or a list of Key and Value. */
export const BAKED_VARIABLES = {
  'AWS::Lambda::WebFunctionRevision': { path: 'ServiceConfig.EnvironmentVariables', form: 'map' },
  'AWS::Lambda::MicrovmImage': { path: 'EnvironmentVariables', form: 'list' },
} as const;

/** The variables of a resource as name and value pairs; undefined when they are decided at deployment. */
function variablesOf(resource: ResolvedResource): Array<[string, unknown]> | undefined {
  const where = BAKED_VARIABLES[resource.type as keyof typeof BAKED_VARIABLES];
  const value = valueAt(resource.properties, where.path) as any;
  if (isIntrinsic(value)) {
    return undefined;
  }
  if (where.form === 'map') {
    return Object.entries((value ?? {}) as Record<string, unknown>);
  }
  return asArray<{ Key?: unknown; Value?: unknown }>(value)
    .filter((v) => typeof v?.Key === 'string')
    .map((v) => [v.Key as string, v.Value]);
}

/** No variable baked into a web function revision or a MicroVM image holds a secret in plain text. */
export const bakedEnvSecret: ResourceRule = {
  id: 'lambda-baked-env-secret',
  title: 'No environment variable of a web function revision or MicroVM image holds a literal secret',
  severity: RuleSeverity.BLOCK,
  why: 'A variable baked into a revision or an image is in the template, the cloud assembly and the repository, readable by whoever can describe the revision or the image, and it cannot be rotated without a new one.',
  fix: 'Put the secret in Secrets Manager (or a SecureString parameter), pass its ARN or name in the variable, grant the execution role read on it, and read it at run time.',
  controls: {
    nist80053: ['IA-5', 'SC-28'],
    pciDss: ['3.4', '8.2.1'],
    hipaa: ['164.312(a)(2)(iv)'],
  },
  resourceTypes: Object.keys(BAKED_VARIABLES),
  judge(resource: ResolvedResource): RuleResult {
    const variables = variablesOf(resource);
    if (variables === undefined) {
      return 'UNRESOLVED';
    }
    const violations: RuleViolation[] = [];
    let tokens = 0;
    for (const [name, value] of variables) {
      if (!isLiteral(value)) {
        tokens++;
        continue;
      }
      const finding = typeof value === 'string' ? findLiteralSecret(name, value) : undefined;
      if (finding) {
        violations.push({ resource: resource.resource, problem: `variable ${name} holds a literal secret: ${finding.description}` });
      }
    }
    if (violations.length > 0) {
      return violations;
    }
    return variables.length > 0 && tokens === variables.length ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
