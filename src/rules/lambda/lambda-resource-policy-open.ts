import { asArray, isIntrinsic } from '../../cfn/references';
import { ResolvedResource } from '../../cfn/stack-index';
import { ResourceRule } from '../resource-rule';
import { RuleResult, RuleSeverity } from '../rule';


/** Condition keys that scope a wildcard principal to an organization (lower case: IAM compares keys without case). */
export const ORGANIZATION_KEYS: readonly string[] = ['aws:principalorgid', 'aws:principalorgpaths', 'aws:sourceorgid'];

/** Condition keys that tie a service principal to the resource or account that calls (as lambda-invoke-no-source-condition). */
export const SOURCE_KEYS: readonly string[] = ['aws:sourcearn', 'aws:sourceaccount'];

/** An account in a principal written literally: `123456789012`, or an ARN in that account. */
export const ACCOUNT_PRINCIPAL = /^(\d{12}|arn:[^:]+:(iam|sts)::\d{12}:.*)$/;

/** The account part of a principal built with Fn::Join (`arn:`, the partition, `:iam::123456789012:root`). */
export const JOINED_ACCOUNT = /:(iam|sts)::\d{12}:/;

/** The condition keys of a statement, lower case (operators may carry `ForAnyValue:` and `IfExists`). */
function conditionKeys(statement: Record<string, any>): string[] {
  return Object.values((statement.Condition ?? {}) as Record<string, unknown>)
    .flatMap((block) => (block !== null && typeof block === 'object' ? Object.keys(block) : []))
    .map((key) => key.toLowerCase());
}

/** Whether a principal value names a literal account (as a string, or in the literal parts of an Fn::Join). */
function namesAccount(principal: unknown): boolean {
  if (typeof principal === 'string') {
    return ACCOUNT_PRINCIPAL.test(principal);
  }
  const join = (principal as Record<string, any> | null)?.['Fn::Join'];
  return Array.isArray(join) && asArray(join[1]).some((part) => typeof part === 'string' && JOINED_ACCOUNT.test(part));
}

/** What is wrong with one Allow statement, if anything. */
function problemOf(statement: Record<string, any>, label: string): string | undefined {
  const principal = statement.Principal;
  const keys = conditionKeys(statement);
  const aws = principal !== null && typeof principal === 'object' ? asArray(principal.AWS) : [];
  const services = principal !== null && typeof principal === 'object' ? asArray(principal.Service) : [];
  if ((principal === '*' || aws.includes('*')) && !keys.some((key) => ORGANIZATION_KEYS.includes(key))) {
    return `${label} allows every principal ('*') without aws:PrincipalOrgID or aws:PrincipalOrgPaths: anyone may invoke it`;
  }
  if (services.length > 0 && !keys.some((key) => SOURCE_KEYS.includes(key))) {
    return `${label} lets ${services.map((s) => (typeof s === 'string' ? s : 'a service')).join(', ')} invoke it without aws:SourceArn or aws:SourceAccount: any account's resource of that service may`;
  }
  if (aws.some(namesAccount) && statement.Condition === undefined) {
    return `${label} grants an account by its id without a condition: every principal that account allows may invoke it`;
  }
  return undefined;
}

/** A resource-based policy (AWS::Lambda::ResourcePolicy) is judged as the permissions it replaces. */
export const resourcePolicyOpen: ResourceRule = {
  id: 'lambda-resource-policy-open',
  title: 'Resource-based policies allow no public principal, no service without a source condition and no account without a condition',
  severity: RuleSeverity.BLOCK,
  why: 'An AWS::Lambda::ResourcePolicy is the whole resource-based policy of a function, web function or endpoint: Principal \'*\' opens it to every account, a service principal without aws:SourceArn or aws:SourceAccount to any customer\'s resource of that service (the confused deputy), and an account without a condition to every role in it.',
  fix: 'Scope each Allow statement: a wildcard principal with aws:PrincipalOrgID, a service principal with aws:SourceArn and aws:SourceAccount, an account with a condition on aws:PrincipalArn or aws:SourceArn (addToResourcePolicy(new iam.PolicyStatement({ principals, conditions }))).',
  controls: {
    nist80053: ['AC-3', 'AC-6', 'AC-21'],
    pciDss: ['7.1', '7.2'],
    hipaa: ['164.312(a)(1)'],
    controlTower: ['CT.LAMBDA.PR.2'],
    securityHub: ['Lambda.1'],
  },
  prevention: [
    { sid: 'ResourcePoliciesForApprovedPrincipals', actions: ['lambda:PutResourcePolicy'], key: 'lambda:Principal', deny: 'not-approved', approved: 'principals' },
  ],
  resourceTypes: ['AWS::Lambda::ResourcePolicy'],
  judge(resource: ResolvedResource): RuleResult {
    const document = resource.properties.PolicyDocument;
    if (isIntrinsic(document) || isIntrinsic(document?.Statement)) {
      return 'UNRESOLVED';
    }
    let unresolved = false;
    const problems: string[] = [];
    asArray<Record<string, any>>(document?.Statement).forEach((statement, i) => {
      if (statement?.Effect !== 'Allow') {
        return;
      }
      if (isIntrinsic(statement.Principal) || isIntrinsic(statement.Condition)) {
        unresolved = true;
        return;
      }
      const problem = problemOf(statement, `statement ${typeof statement.Sid === 'string' ? `'${statement.Sid}'` : i}`);
      if (problem) {
        problems.push(problem);
      }
    });
    if (problems.length > 0) {
      return problems.map((problem) => ({ resource: resource.resource, problem }));
    }
    return unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
