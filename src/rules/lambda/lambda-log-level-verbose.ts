import { isIntrinsic, isLiteral } from '../../cfn/references';
import { LambdaRule, RuleSeverity } from '../rule';

/** The log levels that write what the code sees, by property of LoggingConfig. */
export const VERBOSE_LEVELS: readonly string[] = ['DEBUG', 'TRACE'];

/** The LoggingConfig properties the rule reads. */
export const LEVEL_PROPERTIES: readonly string[] = ['ApplicationLogLevel', 'SystemLogLevel'];

/** The function does not log at DEBUG or TRACE. */
export const logLevelVerbose: LambdaRule = {
  id: 'lambda-log-level-verbose',
  title: 'The function does not log at DEBUG or TRACE',
  severity: RuleSeverity.WARN,
  why: 'At DEBUG and TRACE a function and its runtime write requests, payloads and configuration to the log: personal data, tokens and secrets then rest in CloudWatch Logs for the retention period, readable by whoever reads the logs.',
  fix: 'Use INFO or above in production (applicationLogLevelV2 / systemLogLevelV2, or LoggingConfig on a CfnFunction); turn DEBUG on for an investigation and acknowledge it with the reason: Validations.of(fn).acknowledge({ id: \'lambda-log-level-verbose\', reason }).',
  controls: {
    nist80053: ['AU-9', 'SI-11'],
    pciDss: ['3.4', '10.5'],
    hipaa: ['164.312(b)'],
  },
  check(view) {
    const config = view.props.LoggingConfig;
    if (config === undefined) {
      return 'COMPLIANT';
    }
    if (isIntrinsic(config)) {
      return 'UNRESOLVED';
    }
    const verbose = LEVEL_PROPERTIES.filter((p) => typeof config[p] === 'string' && VERBOSE_LEVELS.includes(config[p]));
    if (verbose.length > 0) {
      return [{ resource: view.fn.resource, problem: verbose.map((p) => `${p} is ${config[p]}`).join(' and ') }];
    }
    return LEVEL_PROPERTIES.some((p) => config[p] !== undefined && !isLiteral(config[p])) ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
