import { asArray, isLiteral } from '../../cfn/references';
import { LambdaRule, RuleSeverity } from '../rule';

/** The metric an alarm must watch. */
export const METRIC = 'Errors';

/** Someone is told when the function fails. */
export const alarms: LambdaRule = {
  id: 'lambda-alarms',
  title: 'A CloudWatch alarm watches the function\'s Errors metric',
  severity: RuleSeverity.WARN,
  why: 'Without an alarm on errors a function can fail for days (a broken deployment, a revoked permission, an attack) before anyone notices.',
  fix: 'Use SecureFunction (alarms: true, the default, adds errors, throttles, duration, concurrency and dead-letter alarms), or fn.metricErrors().createAlarm(...) (an AWS::CloudWatch::Alarm on AWS/Lambda Errors, dimension FunctionName).',
  controls: {
    nist80053: ['CA-7', 'SI-4'],
    hipaa: ['164.308(a)(1)(ii)(D)'],
  },
  check(view) {
    const watching = view.alarms;
    const names = watching.flatMap((alarm) => [
      alarm.properties.MetricName,
      ...asArray(alarm.properties.Metrics).map((m: any) => m?.MetricStat?.Metric?.MetricName),
    ]).filter((name) => name !== undefined);
    if (names.includes(METRIC)) {
      return 'COMPLIANT';
    }
    if (names.some((name) => !isLiteral(name))) {
      return 'UNRESOLVED';
    }
    return [{ resource: view.fn.resource, problem: 'no CloudWatch alarm on the function\'s Errors metric' }];
  },
  // The dimension and the resources standing for the function are FunctionView.alarms' and FunctionView.targets'.
};
