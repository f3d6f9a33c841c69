// Calls that depend on a permission granted in the same deployment: IAM is
// eventually consistent, so an access denial right after the grant is retried
// a few times before it counts. Shared by the library's handlers.

/** How a handler retries: its delays, what counts as a denial for its services, how it waits and logs. */
export interface AfterGrantOptions {
  readonly delaysMs: readonly number[];
  readonly isAccessDenied: (err: unknown) => boolean;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onRetry: (delayMs: number) => void;
}

/**
 * Runs `call`, retrying it after each delay while it is denied access; any
 * other error, or a denial after the last delay, is thrown as it came.
 */
export async function retryWhileAccessDenied<T>(call: () => Promise<T>, options: AfterGrantOptions): Promise<T> {
  for (const delay of options.delaysMs) {
    try {
      return await call();
    } catch (err) {
      if (!options.isAccessDenied(err)) {
        throw err;
      }
      options.onRetry(delay);
      await options.sleep(delay);
    }
  }
  return call();
}
