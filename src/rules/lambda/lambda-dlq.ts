import { isConditional } from '../../cfn/references';
import { LambdaRule, RuleSeverity } from '../rule';

/** Failed asynchronous invocations are kept: a dead-letter queue or an on-failure destination. */
export const deadLetter: LambdaRule = {
  id: 'lambda-dlq',
  title: 'Failed asynchronous invocations go to a dead-letter queue or an on-failure destination',
  severity: RuleSeverity.BLOCK,
  why: 'Without one, Lambda drops an asynchronous event after its retries: the data is lost and nobody learns that it failed.',
  fix: 'Use SecureFunction (it has its own encrypted dead-letter queue), or set deadLetterQueueEnabled / deadLetterQueue on a lambda.Function (DeadLetterConfig.TargetArn on a CfnFunction), or an onFailure destination (fn.configureAsyncInvoke, AWS::Lambda::EventInvokeConfig DestinationConfig.OnFailure).',
  controls: {
    nist80053: ['CP-10', 'SI-11'],
    hipaa: ['164.312(b)'],
  },
  detectedBy: ['LAMBDA_DLQ_CHECK'],
  check(view) {
    const targets = [
      view.props.DeadLetterConfig?.TargetArn,
      ...view.eventInvokeConfigs.map((config) => config.properties.DestinationConfig?.OnFailure?.Destination),
    ].filter((target) => target !== undefined && target !== '');
    if (targets.some((target) => !isConditional(target))) {
      return 'COMPLIANT';
    }
    if (targets.length > 0) {
      // Only targets chosen by a condition: each may be AWS::NoValue.
      return 'UNRESOLVED';
    }
    return [{ resource: view.fn.resource, problem: 'no dead-letter queue and no on-failure destination: failed asynchronous events are dropped' }];
  },
};
