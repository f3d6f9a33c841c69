import { isConditional, isLiteral } from '../../cfn/references';
import { ResolvedResource } from '../../cfn/stack-index';
import { EXTERNAL } from '../function-view';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';

/** The function's own log group, encrypted with a customer-managed key and with a retention. */
export const logGroup: LambdaRule = {
  id: 'lambda-log-group',
  title: 'The function logs to its own log group, encrypted with a customer-managed key and with a retention period',
  severity: RuleSeverity.BLOCK,
  why: 'Logs carry request data: in the log group Lambda creates on first run they are readable by anyone with logs:GetLogEvents (no key policy) and are kept forever, beyond any retention the data is subject to.',
  fix: 'Use SecureFunction (its log group is encrypted with the stack key, retention logRetention), or give a lambda.Function logGroup: new logs.LogGroup(..., { encryptionKey, retention }) (an AWS::Logs::LogGroup with KmsKeyId and RetentionInDays, named in LoggingConfig.LogGroup).',
  controls: {
    nist80053: ['AU-9', 'AU-11', 'SC-28'],
    pciDss: ['3.4', '10.5', '10.7'],
    hipaa: ['164.312(a)(2)(iv)', '164.312(b)'],
    controlTower: ['CT.CLOUDWATCH.PR.3'],
  },
  check(view) {
    const group = view.logGroup;
    if (group === EXTERNAL) {
      return 'UNRESOLVED';
    }
    if (group === undefined) {
      const name = view.props.FunctionName;
      const shown = typeof name === 'string' ? name : `<name of ${view.fn.logicalId}>`;
      return [{ resource: view.fn.resource, problem: `no log group of its own: Lambda creates /aws/lambda/${shown} unencrypted and kept forever` }];
    }
    const violations: RuleViolation[] = [];
    let unresolved = false;
    // A CDK Custom::LogRetention sets a retention only: Lambda's own log group stays unencrypted.
    const key = group.type === 'Custom::LogRetention' ? undefined : group.properties.KmsKeyId;
    if (key === undefined || key === '') {
      violations.push({ resource: group.resource, problem: `log group ${nameOf(group)} is not encrypted with a customer-managed key` });
    } else if (isConditional(key)) {
      unresolved = true;
    }
    const retention = group.properties.RetentionInDays;
    if (retention === undefined) {
      violations.push({ resource: group.resource, problem: `log group ${nameOf(group)} keeps logs forever (no retention)` });
    } else if (!isLiteral(retention)) {
      unresolved = true;
    }
    if (violations.length > 0) {
      return violations;
    }
    return unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};

/** The log group's literal name, or its logical id. */
function nameOf(group: ResolvedResource): string {
  const name = group.properties.LogGroupName;
  return typeof name === 'string' ? name : group.logicalId;
}
