import { Token } from 'aws-cdk-lib';
import { invalidInput, show } from '../cfn/errors';

/** The most signing steps that may run at once: more would only queue Signer jobs. */
const MAX_SIGNER_CONCURRENCY = 10;

/**
 * How many signing steps run at once must be a whole number from 1 to 10;
 * `what` names the construct and prop it came from.
 */
export function checkSignerConcurrency(what: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIGNER_CONCURRENCY) {
    throw invalidInput(
      what,
      `must be a whole number from 1 to ${MAX_SIGNER_CONCURRENCY} (signing steps that run at once)`,
      show(value),
      'keep the default 2, or raise it for deployments that sign many packages at once',
    );
  }
}
