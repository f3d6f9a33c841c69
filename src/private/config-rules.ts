/**
 * An AWS Config managed rule the stack deploys for its functions.
 */
export interface LambdaConfigRuleSpec {
  /** The construct id of the rule. */
  readonly id: string;
  /** The managed rule identifier. */
  readonly identifier: string;
  /** Parameters, matching what SecureFunction enforces. */
  readonly inputParameters?: { [key: string]: string };
}

/**
 * The AWS Config managed rules for Lambda that SecureFunction deploys, with the
 * parameters that match what it enforces. LAMBDA_FUNCTION_SETTINGS_CHECK is left
 * out: it compares timeout and memory with one expected value, and every
 * function chooses its own.
 */
export const LAMBDA_CONFIG_RULES: LambdaConfigRuleSpec[] = [
  { id: 'PublicAccessProhibited', identifier: 'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED' },
  { id: 'InsideVpc', identifier: 'LAMBDA_INSIDE_VPC' },
  // SecureFunction always reserves at least one concurrent execution.
  { id: 'ConcurrencyCheck', identifier: 'LAMBDA_CONCURRENCY_CHECK', inputParameters: { ConcurrencyLimitLow: '1' } },
  { id: 'DeadLetterQueueCheck', identifier: 'LAMBDA_DLQ_CHECK' },
  { id: 'VpcMultiAz', identifier: 'LAMBDA_VPC_MULTI_AZ_CHECK' },
  { id: 'XRayEnabled', identifier: 'LAMBDA_FUNCTION_XRAY_ENABLED' },
];
