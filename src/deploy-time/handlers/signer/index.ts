// Custom-resource handler: signs a staged Lambda .zip with AWS Signer at deploy time.
// Runs on the Node.js Lambda runtime, which provides the AWS SDK v3 (the bundle leaves it out).
// eslint-disable-next-line import/no-extraneous-dependencies
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  DescribeSigningJobCommand, DescribeSigningJobCommandOutput, SignerClient, StartSigningJobCommand, waitUntilSuccessfulSigningJob,
} from '@aws-sdk/client-signer';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { retryWhileAccessDenied } from '../shared/after-grant';
import { answerCloudFormation, CustomResourceResponse, truncateReason as truncate } from '../shared/cfn-response';

// The response code is shared with the library's other handlers; re-exported for this handler's callers.
export type { CustomResourceResponse } from '../shared/cfn-response';
export { sendResponse } from '../shared/cfn-response';

/** What the handler needs from the outside world; injected so tests control clients and time. */
export interface SignerDeps {
  signer: SignerClient;
  s3: S3Client;
  /**
   * Waits for a signing job to succeed: the SDK's waiter unless a test gives
   * its own (the SDK's sleeps in real time).
   */
  waitForSigningJob?: typeof waitUntilSuccessfulSigningJob;
  sleep(ms: number): Promise<void>;
  now(): number;
  remainingMs(): number;
}

const DEFAULT_MAX_WAIT_SECONDS = 240;
/** Time kept back from the Lambda timeout to report the outcome to CloudFormation. */
const RESPONSE_RESERVE_MS = 15_000;
/** The SDK waiter polls a signing job after this many seconds at first, backing off (with jitter) to at most the second. */
const POLL_DELAY_SECONDS = { min: 2, max: 10 };

/** A failure whose message is already written for the person reading the stack events. */
class SigningError extends Error {}

function log(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry));
}

function requiredProp(props: Record<string, unknown>, name: string): string {
  const value = props[name];
  if (typeof value !== 'string' || value === '') {
    throw new SigningError(`ResourceProperties.${name} is required (got ${JSON.stringify(value)})`);
  }
  return value;
}

function maxWaitMs(props: Record<string, unknown>): number {
  const raw = props.MaxWaitSeconds;
  if (raw === undefined || raw === null || raw === '') return DEFAULT_MAX_WAIT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new SigningError(`ResourceProperties.MaxWaitSeconds must be a positive number of seconds (got ${JSON.stringify(raw)})`);
  }
  return seconds * 1000;
}

function describeError(err: unknown): string {
  if (err instanceof SigningError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** Runs one SDK step, turning a thrown error into a message that says which step failed. */
async function step<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new SigningError(`${what} failed: ${describeError(err)}`, { cause: err });
  }
}

/** How long a just-granted permission may take to reach IAM everywhere (it is eventually consistent). */
const IAM_PROPAGATION_DELAYS_MS = [2_000, 4_000, 8_000, 16_000];

function isAccessDenied(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name ?? '';
  return name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'Forbidden';
}

/**
 * Runs a step that depends on permissions granted in the same deployment: an
 * access denial is retried for about 30 s before it counts, since IAM changes
 * take a few seconds to apply.
 */
async function stepAfterGrant<T>(what: string, call: () => Promise<T>, deps: SignerDeps): Promise<T> {
  return step(what, () => retryWhileAccessDenied(call, {
    delaysMs: IAM_PROPAGATION_DELAYS_MS,
    isAccessDenied,
    sleep: deps.sleep,
    onRetry: (delayMs) => log({ step: 'RetryAccessDenied', what, delayMs }),
  }));
}

/** The logic of the custom resource: returns the response body and never throws. */
export async function onEvent(event: CloudFormationCustomResourceEvent, deps: SignerDeps): Promise<CustomResourceResponse> {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  log({ step: 'Event', requestType: event.RequestType, requestId: event.RequestId, logicalResourceId: event.LogicalResourceId });

  if (event.RequestType === 'Delete') {
    // The signed object stays: a rollback or an older function version may still point at it,
    // and Lambda keeps its own copy of deployed code anyway. No AWS calls at all.
    const response: CustomResourceResponse = { ...base, Status: 'SUCCESS', PhysicalResourceId: event.PhysicalResourceId };
    log({ step: 'Response', status: response.Status, physicalResourceId: response.PhysicalResourceId });
    return response;
  }

  let jobId: string | undefined;
  try {
    const props = (event.ResourceProperties ?? {}) as Record<string, unknown>;
    const sourceBucket = requiredProp(props, 'SourceBucket');
    const sourceKey = requiredProp(props, 'SourceKey');
    const destinationBucket = requiredProp(props, 'DestinationBucket');
    const profileName = requiredProp(props, 'ProfileName');
    const destinationPrefix = typeof props.DestinationPrefix === 'string' ? props.DestinationPrefix : undefined;
    const profileOwner = typeof props.ProfileOwner === 'string' && props.ProfileOwner !== '' ? props.ProfileOwner : undefined;
    const waitBoundMs = maxWaitMs(props);
    const source = `s3://${sourceBucket}/${sourceKey}`;

    log({ step: 'HeadObject', bucket: sourceBucket, key: sourceKey });
    const head = await stepAfterGrant(`HeadObject ${source}`, () =>
      deps.s3.send(new HeadObjectCommand({ Bucket: sourceBucket, Key: sourceKey })), deps);
    const version = head.VersionId;
    if (!version || version === 'null') {
      throw new SigningError(
        `The object ${source} has no version id, and AWS Signer signs only versioned objects. ` +
        `Enable versioning on bucket ${sourceBucket}. The CDK bootstrap bucket is versioned; ` +
        'if this environment was bootstrapped before that, re-run `cdk bootstrap`.');
    }

    log({ step: 'StartSigningJob', bucket: sourceBucket, key: sourceKey, version, profileName, profileOwner, destinationBucket, destinationPrefix });
    const started = await stepAfterGrant(`StartSigningJob for ${source} (version ${version})`, () => deps.signer.send(new StartSigningJobCommand({
      source: { s3: { bucketName: sourceBucket, key: sourceKey, version } },
      destination: { s3: { bucketName: destinationBucket, prefix: destinationPrefix } },
      profileName,
      ...(profileOwner ? { profileOwner } : {}),
      // CloudFormation retries a request with the same RequestId: the same job comes back.
      clientRequestToken: event.RequestId,
    })), deps);
    if (!started.jobId) throw new SigningError(`StartSigningJob for ${source} (version ${version}) returned no job id`);
    const currentJobId = started.jobId;
    jobId = currentJobId;

    const job = await waitForJob(currentJobId, waitBoundMs, deps);
    if (job.status === 'Failed') {
      throw new SigningError(`AWS Signer job ${currentJobId} failed for ${source} (version ${version}): ${job.statusReason ?? 'no reason given'}`);
    }
    const signed = job.signedObject?.s3;
    if (!signed?.bucketName || !signed.key) {
      throw new SigningError(`AWS Signer job ${currentJobId} succeeded for ${source} (version ${version}) but reported no signed object (signedObject.s3)`);
    }

    // The function is pinned to this exact version of the signed package.
    const signedHead = await step(`HeadObject s3://${signed.bucketName}/${signed.key}`, () =>
      deps.s3.send(new HeadObjectCommand({ Bucket: signed.bucketName, Key: signed.key })));
    if (!signedHead.VersionId || signedHead.VersionId === 'null') {
      throw new SigningError(`The signed package s3://${signed.bucketName}/${signed.key} has no version id; enable versioning on bucket ${signed.bucketName} so the function can be pinned to it.`);
    }

    const response: CustomResourceResponse = {
      ...base,
      Status: 'SUCCESS',
      PhysicalResourceId: currentJobId,
      Data: { Bucket: signed.bucketName, Key: signed.key, Version: signedHead.VersionId, JobId: currentJobId, SourceVersion: version },
    };
    log({ step: 'Response', status: response.Status, physicalResourceId: response.PhysicalResourceId, data: response.Data });
    return response;
  } catch (err) {
    console.error(err);
    const physicalResourceId = event.RequestType === 'Update'
      ? event.PhysicalResourceId // keep the old one: a new id would mean a replacement
      : jobId ?? `signing-failed-${event.RequestId}`;
    const response: CustomResourceResponse = { ...base, Status: 'FAILED', Reason: truncate(describeError(err)), PhysicalResourceId: physicalResourceId };
    log({ step: 'Response', status: response.Status, physicalResourceId, reason: response.Reason });
    return response;
  }
}

/**
 * Waits for the job with the SDK's waiter until it finishes or the bound
 * (MaxWaitSeconds, or the Lambda time left) is reached, then returns the job as
 * DescribeSigningJob last describes it. A job still running at the bound fails
 * with its last status and how to inspect it.
 */
async function waitForJob(jobId: string, maxWait: number, deps: SignerDeps): Promise<DescribeSigningJobCommandOutput> {
  const boundSeconds = Math.max(0, Math.min(maxWait, deps.remainingMs() - RESPONSE_RESERVE_MS)) / 1000;
  const wait = deps.waitForSigningJob ?? waitUntilSuccessfulSigningJob;
  log({ step: 'WaitForSigningJob', jobId, maxWaitSeconds: boundSeconds });
  let timedOut = boundSeconds <= POLL_DELAY_SECONDS.min;
  if (!timedOut) {
    try {
      const waiter = { client: deps.signer, maxWaitTime: boundSeconds, minDelay: POLL_DELAY_SECONDS.min, maxDelay: POLL_DELAY_SECONDS.max };
      const result = await wait(waiter, { jobId });
      return result.reason as DescribeSigningJobCommandOutput;
    } catch (err) {
      // The waiter ends in an error for a job that failed as for one still running at the bound.
      timedOut = (err as { name?: string }).name === 'TimeoutError';
      log({ step: 'WaitForSigningJob', jobId, outcome: (err as { name?: string }).name ?? String(err) });
    }
  }
  const job = await step(`DescribeSigningJob ${jobId}`, () => deps.signer.send(new DescribeSigningJobCommand({ jobId })));
  log({ step: 'DescribeSigningJob', jobId, status: job.status });
  if (job.status === 'Succeeded' || job.status === 'Failed') return job;
  throw new SigningError(
    `AWS Signer job ${jobId} did not finish ${timedOut ? `after waiting ${Math.round(boundSeconds)} s` : 'while it was waited for'} ` +
    `(last status ${job.status ?? 'unknown'}${job.statusReason ? `: ${job.statusReason}` : ''}). ` +
    `Inspect it with: aws signer describe-signing-job --job-id ${jobId}`);
}

/** Lambda entry point: always answers CloudFormation, or a stack waits an hour for this resource. */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  await answerCloudFormation(event, () => onEvent(event, {
    signer: new SignerClient({}),
    s3: new S3Client({}),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    remainingMs: () => context.getRemainingTimeInMillis(),
  }), describeError, `signing-failed-${event.RequestId}`);
}
