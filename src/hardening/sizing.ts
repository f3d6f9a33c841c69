import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Defaults that are always written explicitly into the template. */
export const DEFAULT_MEMORY_MB = 256;
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** Lambda's own timeout for a function that sets none: what an existing function's code runs with. */
export const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;
export const DEFAULT_RESERVED_CONCURRENCY = 5;

/**
 * What an existing function leaves unset, written explicitly (the Serverless
 * pack rejects Lambda's implicit 128 MB and 3 seconds): SecureFunction's
 * memory and reserved concurrency, and the timeout the function already runs
 * with, Lambda's 3 seconds. A longer one would change what the function does
 * and what its SQS sources must allow for (six times the timeout). What it
 * sets is kept.
 *
 * @returns the function's timeout
 */
export function applySizing(cfn: lambda.CfnFunction, props: { readonly reservedConcurrentExecutions?: number }): Duration {
  cfn.memorySize ??= DEFAULT_MEMORY_MB;
  cfn.timeout ??= LAMBDA_DEFAULT_TIMEOUT_SECONDS;
  cfn.reservedConcurrentExecutions ??= props.reservedConcurrentExecutions ?? DEFAULT_RESERVED_CONCURRENCY;
  return Duration.seconds(cfn.timeout);
}

/** The retention the controls ask of function logs: PCI DSS 3.2.1 10.7 keeps audit trails a year. */
const MIN_LOG_RETENTION_DAYS = 365;

/** Warns when logs are kept shorter than the controls require. */
export function checkLogRetention(scope: Construct, retention: number | undefined): void {
  if (retention === undefined || Token.isUnresolved(retention) || retention === 0 || retention >= MIN_LOG_RETENTION_DAYS) {
    return;
  }
  Annotations.of(scope).addWarningV2('cdk-secure-function:log-retention-short',
    `logRetention keeps logs ${retention} days: PCI DSS 3.2.1 requirement 10.7 keeps audit trail history at least one year (checkov CKV_AWS_338 asks the same); use logs.RetentionDays.ONE_YEAR or longer unless your controls allow less.`);
}
