import { LambdaRule, RuleSeverity } from '../rule';

/** The identifiers of the AWS Config managed rules for Lambda functions: FunctionView.lambdaConfigRules' prefix (not exported there). */
export const LAMBDA_RULE_PREFIX = /^LAMBDA_/;

/** AWS Config keeps judging the function after deployment. */
export const configRules: LambdaRule = {
  id: 'lambda-config-rules',
  title: 'The stack deploys at least one AWS Config rule for Lambda functions',
  severity: RuleSeverity.WARN,
  why: 'Synthesis-time checks see only the template: a console or API change after deployment (a public permission, a function taken out of its VPC) goes unnoticed unless AWS Config evaluates the deployed functions.',
  fix: 'Where a configuration recorder runs, turn on SecurityBaseline\'s Config rules (new SecurityBaseline(stack, id, { configRules: true })), or deploy LAMBDA_* managed rules from an AWS Organizations conformance pack; in an account whose rules are managed centrally, acknowledge this rule on the stack: Validations.of(stack).acknowledge({ id: \'lambda-config-rules\', reason }).',
  controls: {
    nist80053: ['CA-7', 'CM-6'],
  },
  check(view) {
    if (view.lambdaConfigRules.length > 0) {
      return 'COMPLIANT';
    }
    // A managed rule whose identifier comes from a parameter may well be a Lambda one.
    const unknown = view.index.ofType('AWS::Config::ConfigRule')
      .some((rule) => rule.properties.Source?.SourceIdentifier !== undefined && typeof rule.properties.Source.SourceIdentifier !== 'string');
    if (unknown) {
      return 'UNRESOLVED';
    }
    return [{ resource: view.fn.resource, problem: 'the stack deploys no AWS Config rule for Lambda functions' }];
  },
  // A stack-wide rule: every judged function fails, on itself, when the stack has no
  // Config rule whose SourceIdentifier is a LAMBDA_* literal, and none from an
  // intrinsic (UNRESOLVED). Acknowledged on the stack, every function is left out.
};
