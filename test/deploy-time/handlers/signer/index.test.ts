import { EventEmitter } from 'events';
import * as https from 'https';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeSigningJobCommand, SignerClient, StartSigningJobCommand, waitUntilSuccessfulSigningJob } from '@aws-sdk/client-signer';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, onEvent, sendResponse, SignerDeps } from '../../../../src/deploy-time/handlers/signer';

// With esModuleInterop, `import * as https` yields a wrapper whose properties cannot be
// redefined, so jest.spyOn(https, 'request') would throw. Marking the module as an ES module
// makes both this file and the handler see the module object itself, which can be spied on.
jest.mock('https', () => ({ __esModule: true, ...jest.requireActual('https') }));

const signerMock = mockClient(SignerClient);
const s3Mock = mockClient(S3Client);

const URL = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/response?sig=abc';
const PROPS = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:signer',
  SourceBucket: 'cdk-assets-bucket',
  SourceKey: 'asset-v1.zip',
  DestinationBucket: 'signed-bucket',
  DestinationPrefix: 'signed/',
  ProfileName: 'MyProfile',
  ProfileVersionArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/MyProfile/abc',
};
const BASE = {
  ResponseURL: URL,
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/s/1',
  RequestId: 'req-1',
  LogicalResourceId: 'Signer',
  ResourceType: 'Custom::LambdaCodeSigning',
  ServiceToken: PROPS.ServiceToken,
};
const IDS = { StackId: BASE.StackId, RequestId: BASE.RequestId, LogicalResourceId: BASE.LogicalResourceId };

function create(props: Record<string, string> = {}): CloudFormationCustomResourceEvent {
  return { ...BASE, RequestType: 'Create', ResourceProperties: { ...PROPS, ...props } };
}
function update(props: Record<string, string> = {}): CloudFormationCustomResourceEvent {
  return { ...BASE, RequestType: 'Update', PhysicalResourceId: 'job-old', ResourceProperties: { ...PROPS, ...props }, OldResourceProperties: PROPS };
}
const DELETE: CloudFormationCustomResourceEvent = { ...BASE, RequestType: 'Delete', PhysicalResourceId: 'job-1', ResourceProperties: PROPS };
const CONTEXT = { getRemainingTimeInMillis: () => 300_000 } as Context;

/** What the handler asked the waiter for: its bound and the delays between polls, in seconds. */
interface Wait { readonly maxWaitTime: number; readonly minDelay?: number; readonly maxDelay?: number }

/**
 * A signing-job waiter for the tests: what the SDK's waiter does, polling the
 * mocked client at once instead of sleeping (at most `polls` times before it
 * times out), and recording what it was asked.
 */
function fakeWaiter(waits: Wait[], polls = 6): typeof waitUntilSuccessfulSigningJob {
  return (async (params, input) => {
    waits.push({ maxWaitTime: params.maxWaitTime, minDelay: params.minDelay, maxDelay: params.maxDelay });
    for (let i = 0; i < polls; i++) {
      const job = await params.client.send(new DescribeSigningJobCommand(input));
      if (job.status === 'Succeeded') return { state: 'SUCCESS', reason: job };
      if (job.status === 'Failed') throw new Error(JSON.stringify({ state: 'FAILURE', reason: job }));
    }
    throw Object.assign(new Error(JSON.stringify({ state: 'TIMEOUT', reason: 'Waiter has timed out' })), { name: 'TimeoutError' });
  }) as typeof waitUntilSuccessfulSigningJob;
}

/** Fake time: sleep records the duration and advances the clock; the waiter records what it was asked. */
function fakeDeps(remainingMs = 900_000) {
  const sleeps: number[] = [];
  const waits: Wait[] = [];
  let clock = 1_000_000;
  const deps: SignerDeps = {
    signer: new SignerClient({}),
    s3: new S3Client({}),
    sleep: async (ms) => { sleeps.push(ms); clock += ms; },
    now: () => clock,
    remainingMs: () => remainingMs,
    waitForSigningJob: fakeWaiter(waits),
  };
  return { deps, sleeps, waits };
}

function expectedStart(key = PROPS.SourceKey, version = 'v1', extra: Record<string, string> = {}) {
  return {
    source: { s3: { bucketName: PROPS.SourceBucket, key, version } },
    destination: { s3: { bucketName: PROPS.DestinationBucket, prefix: PROPS.DestinationPrefix } },
    profileName: PROPS.ProfileName,
    clientRequestToken: BASE.RequestId,
    ...extra,
  };
}

/** A Succeeded DescribeSigningJob answer, and the response expected for it. */
function signed(jobId: string, key: string) {
  return { jobId, status: 'Succeeded' as const, signedObject: { s3: { bucketName: PROPS.DestinationBucket, key } } };
}
function succeeded(jobId: string, version: string) {
  const Data = { Bucket: 'signed-bucket', Key: `signed/${jobId}.zip`, Version: `signed-${version}`, JobId: jobId, SourceVersion: version };
  return { ...IDS, Status: 'SUCCESS', PhysicalResourceId: jobId, Data };
}

/** A versioned source object, a started job and what DescribeSigningJob answers. */
function givenJob(described: Record<string, unknown>, jobId = 'job-1', version = 'v1') {
  s3Mock.on(HeadObjectCommand).resolves({ VersionId: version });
  s3Mock.on(HeadObjectCommand, { Bucket: PROPS.DestinationBucket }).resolves({ VersionId: `signed-${version}` });
  signerMock.on(StartSigningJobCommand).resolves({ jobId });
  signerMock.on(DescribeSigningJobCommand).resolves({ jobId, ...described });
}

/** The exact SDK calls made: HeadObject inputs, StartSigningJob inputs, DescribeSigningJob inputs. */
function callsMade() {
  return {
    head: s3Mock.commandCalls(HeadObjectCommand).map((c) => c.args[0].input),
    start: signerMock.commandCalls(StartSigningJobCommand).map((c) => c.args[0].input),
    describe: signerMock.commandCalls(DescribeSigningJobCommand).map((c) => c.args[0].input),
  };
}
const SOURCE_HEAD = { Bucket: 'cdk-assets-bucket', Key: 'asset-v1.zip' };

beforeEach(() => {
  signerMock.reset();
  s3Mock.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('create signs the staged object and returns the signed object location', async () => {
  givenJob({});
  signerMock.on(DescribeSigningJobCommand)
    .resolvesOnce({ jobId: 'job-1', status: 'InProgress' })
    .resolves(signed('job-1', 'signed/job-1.zip'));
  const { deps, sleeps, waits } = fakeDeps();

  const response = await onEvent(create(), deps);

  expect(response).toEqual(succeeded('job-1', 'v1'));
  expect(s3Mock.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual([
    { Bucket: 'cdk-assets-bucket', Key: 'asset-v1.zip' },
    { Bucket: 'signed-bucket', Key: 'signed/job-1.zip' },
  ]);
  expect(signerMock.commandCalls(StartSigningJobCommand)).toHaveLength(1);
  const startInput = signerMock.commandCalls(StartSigningJobCommand)[0].args[0].input;
  expect(startInput).toEqual(expectedStart());
  expect(startInput).not.toHaveProperty('profileOwner');
  expect(signerMock.commandCalls(DescribeSigningJobCommand).map((c) => c.args[0].input)).toEqual([{ jobId: 'job-1' }, { jobId: 'job-1' }]);
  // The SDK's waiter polls, from 2 s apart backing off to 10 s, for at most the default 240 s; nothing else sleeps.
  expect(waits).toEqual([{ maxWaitTime: 240, minDelay: 2, maxDelay: 10 }]);
  expect(sleeps).toEqual([]);
});

test('the SDK\'s own waiter takes a job that has already succeeded without sleeping', async () => {
  givenJob(signed('job-1', 'signed/job-1.zip'));
  const { deps } = fakeDeps();
  const started = Date.now();

  const response = await onEvent(create(), { ...deps, waitForSigningJob: undefined });

  expect(response).toEqual(succeeded('job-1', 'v1'));
  expect(signerMock.commandCalls(DescribeSigningJobCommand)).toHaveLength(1);
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('profile owner is passed to StartSigningJob when given', async () => {
  givenJob(signed('job-1', 'signed/job-1.zip'));

  const response = await onEvent(create({ ProfileOwner: '222222222222' }), fakeDeps().deps);

  expect(response.Status).toBe('SUCCESS');
  expect(signerMock.commandCalls(StartSigningJobCommand)[0].args[0].input).toEqual(expectedStart(undefined, undefined, { profileOwner: '222222222222' }));
});

test('a failed signing job fails the resource with the job id and Signer reason', async () => {
  givenJob({ status: 'Failed', statusReason: 'Signing profile is revoked' });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toEqual({
    ...IDS,
    Status: 'FAILED',
    PhysicalResourceId: 'job-1',
    Reason: 'AWS Signer job job-1 failed for s3://cdk-assets-bucket/asset-v1.zip (version v1): Signing profile is revoked',
  });
  // The waiter ends in an error: the job is described once more for its reason.
  expect(callsMade()).toEqual({ head: [SOURCE_HEAD], start: [expectedStart()], describe: [{ jobId: 'job-1' }, { jobId: 'job-1' }] });
});

test('a job that never finishes fails after MaxWaitSeconds with the last status and how to inspect it', async () => {
  givenJob({ status: 'InProgress', statusReason: 'queued' });
  const { deps, waits } = fakeDeps();

  const response = await onEvent(create({ MaxWaitSeconds: '30' }), deps);

  // The waiter is bound to 30 s; once it times out, the job is described once more for its last status.
  expect(waits).toEqual([{ maxWaitTime: 30, minDelay: 2, maxDelay: 10 }]);
  expect(signerMock.commandCalls(DescribeSigningJobCommand)).toHaveLength(7);
  expect(response.Status).toBe('FAILED');
  expect(response.PhysicalResourceId).toBe('job-1');
  expect(response.Reason).toBe('AWS Signer job job-1 did not finish after waiting 30 s (last status InProgress: queued). ' +
    'Inspect it with: aws signer describe-signing-job --job-id job-1');
  expect(callsMade()).toEqual({ head: [SOURCE_HEAD], start: [expectedStart()], describe: Array(7).fill({ jobId: 'job-1' }) });
});

test('the default bound is 240 s with polls at most 10 s apart', async () => {
  givenJob({ status: 'InProgress' });
  const { deps, waits } = fakeDeps();

  const response = await onEvent(create(), deps);

  expect(waits).toEqual([{ maxWaitTime: 240, minDelay: 2, maxDelay: 10 }]);
  expect(response.Reason).toContain('waiting 240 s');
});

test('the remaining Lambda time bounds the wait when it is smaller than MaxWaitSeconds', async () => {
  givenJob({ status: 'InProgress' });
  const { deps, waits } = fakeDeps(35_000); // 35 s left, 15 s kept to respond: 20 s of waiting

  const response = await onEvent(create({ MaxWaitSeconds: '240' }), deps);

  expect(waits).toEqual([{ maxWaitTime: 20, minDelay: 2, maxDelay: 10 }]);
  expect(signerMock.commandCalls(DescribeSigningJobCommand)).toHaveLength(7);
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toContain('job-1');
  expect(response.Reason).toContain('waiting 20 s (last status InProgress)');
});

test('with no more than the first poll delay left, the job is described once instead of waited for', async () => {
  givenJob({ status: 'InProgress' });
  const { deps, waits } = fakeDeps(16_500); // 1.5 s of waiting: less than the first poll delay

  const response = await onEvent(create(), deps);

  expect(waits).toEqual([]);
  expect(signerMock.commandCalls(DescribeSigningJobCommand)).toHaveLength(1);
  expect(response.Reason).toBe('AWS Signer job job-1 did not finish after waiting 2 s (last status InProgress). Inspect it with: aws signer describe-signing-job --job-id job-1');
});

test('a code update signs the new key and replaces the physical id with the new job id', async () => {
  givenJob(signed('job-2', 'signed/job-2.zip'), 'job-2', 'v2');

  const response = await onEvent(update({ SourceKey: 'asset-v2.zip' }), fakeDeps().deps);

  expect(s3Mock.commandCalls(HeadObjectCommand)[0].args[0].input).toEqual({ Bucket: 'cdk-assets-bucket', Key: 'asset-v2.zip' });
  expect(response).toEqual(succeeded('job-2', 'v2'));
  expect(callsMade()).toEqual({
    head: [{ Bucket: 'cdk-assets-bucket', Key: 'asset-v2.zip' }, { Bucket: 'signed-bucket', Key: 'signed/job-2.zip' }],
    start: [expectedStart('asset-v2.zip', 'v2')],
    describe: [{ jobId: 'job-2' }],
  });
});

test('a failed update keeps the old physical id so CloudFormation does not see a replacement', async () => {
  givenJob({ status: 'Failed', statusReason: 'bad zip' }, 'job-2', 'v2');

  const response = await onEvent(update({ SourceKey: 'asset-v2.zip' }), fakeDeps().deps);

  expect(response).toEqual({
    ...IDS,
    Status: 'FAILED',
    PhysicalResourceId: 'job-old',
    Reason: 'AWS Signer job job-2 failed for s3://cdk-assets-bucket/asset-v2.zip (version v2): bad zip',
  });
  expect(callsMade()).toEqual({
    head: [{ Bucket: 'cdk-assets-bucket', Key: 'asset-v2.zip' }],
    start: [expectedStart('asset-v2.zip', 'v2')],
    // Once by the waiter, once more for the failed job's reason.
    describe: [{ jobId: 'job-2' }, { jobId: 'job-2' }],
  });
});

test('delete succeeds without any AWS call and keeps the physical id', async () => {
  const response = await onEvent(DELETE, fakeDeps().deps);

  expect(response).toEqual({ ...IDS, Status: 'SUCCESS', PhysicalResourceId: 'job-1' });
  expect(s3Mock.calls()).toHaveLength(0);
  expect(signerMock.calls()).toHaveLength(0);
});

test.each([undefined, 'null'])('an unversioned source object (VersionId %p) fails before any signing job', async (versionId) => {
  s3Mock.on(HeadObjectCommand).resolves({ VersionId: versionId });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response.Status).toBe('FAILED');
  expect(response.PhysicalResourceId).toBe('signing-failed-req-1');
  expect(response.Reason).toContain('s3://cdk-assets-bucket/asset-v1.zip has no version id');
  expect(response.Reason).toContain('AWS Signer signs only versioned objects');
  expect(response.Reason).toContain('cdk bootstrap');
  expect(callsMade()).toEqual({ head: [SOURCE_HEAD], start: [], describe: [] });
});

test('an SDK error from StartSigningJob fails the resource with the error name and message', async () => {
  s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'v1' });
  const denied = Object.assign(new Error('User is not authorized to perform: signer:StartSigningJob'), { name: 'AccessDeniedException' });
  signerMock.on(StartSigningJobCommand).rejects(denied);

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toEqual({
    ...IDS,
    Status: 'FAILED',
    PhysicalResourceId: 'signing-failed-req-1',
    Reason: 'StartSigningJob for s3://cdk-assets-bucket/asset-v1.zip (version v1) failed: ' +
      'AccessDeniedException: User is not authorized to perform: signer:StartSigningJob',
  });
  expect(signerMock.commandCalls(DescribeSigningJobCommand)).toHaveLength(0);
  expect(console.error).toHaveBeenCalled();
});

test('a succeeded job without a signed object fails clearly', async () => {
  givenJob({ status: 'Succeeded' });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toContain('job-1 succeeded');
  expect(response.Reason).toContain('no signed object');
});

test('a missing required property or a bad MaxWaitSeconds fails without AWS calls', async () => {
  const missing = await onEvent(create({ ProfileName: '' }), fakeDeps().deps);
  const badWait = await onEvent(create({ MaxWaitSeconds: 'soon' }), fakeDeps().deps);

  expect(missing.Reason).toContain('ResourceProperties.ProfileName is required');
  expect(badWait.Reason).toContain('MaxWaitSeconds must be a positive number');
  expect(s3Mock.calls()).toHaveLength(0);
  expect(signerMock.calls()).toHaveLength(0);
});

test('long reasons are truncated to 1000 characters', async () => {
  givenJob({ status: 'Failed', statusReason: 'x'.repeat(5000) });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response.Reason).toHaveLength(1000);
  expect(response.Reason).toMatch(/^AWS Signer job job-1 failed/);
});

/** Replaces https.request with a fake that records the request and answers with statusCode (or a network error). */
function fakeHttps(outcome: { statusCode: number } | { error: Error }) {
  const sent: { url?: string; options?: https.RequestOptions; body?: string } = {};
  const spy = jest.spyOn(https, 'request').mockImplementation(((url: string, options: https.RequestOptions, callback: (res: unknown) => void) => {
    const request = new EventEmitter() as EventEmitter & { end(body: string): void };
    request.end = (body: string) => {
      Object.assign(sent, { url, options, body });
      setImmediate(() => {
        if ('error' in outcome) {
          request.emit('error', outcome.error);
        } else {
          callback(Object.assign(new EventEmitter(), { statusCode: outcome.statusCode, statusMessage: 'Status', resume: () => undefined }));
        }
      });
    };
    return request;
  }) as unknown as typeof https.request);
  return { spy, sent };
}

test('handler signs and PUTs the response body to the CloudFormation response URL', async () => {
  givenJob(signed('job-1', 'signed/job-1.zip'));
  const { spy, sent } = fakeHttps({ statusCode: 200 });

  await handler(create(), CONTEXT);

  expect(spy).toHaveBeenCalledTimes(1);
  expect(sent.url).toBe(URL);
  expect(sent.options?.method).toBe('PUT');
  expect(sent.options?.headers).toEqual({ 'content-type': '', 'content-length': Buffer.byteLength(sent.body!) });
  expect(JSON.parse(sent.body!)).toEqual(succeeded('job-1', 'v1'));
});

test('handler reports a failure to CloudFormation instead of throwing', async () => {
  s3Mock.on(HeadObjectCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
  const { sent } = fakeHttps({ statusCode: 200 });

  await handler(create(), CONTEXT);

  expect(JSON.parse(sent.body!)).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'signing-failed-req-1', Reason: expect.stringContaining('NotFound: Not Found') });
});

test('an access denial right after the grant is retried while IAM propagates, then signing goes on', async () => {
  givenJob(signed('job-1', 'signed/job-1.zip'));
  const denied = Object.assign(new Error('not authorized to perform signer:StartSigningJob'), { name: 'AccessDeniedException' });
  signerMock.on(StartSigningJobCommand).rejectsOnce(denied).rejectsOnce(denied).resolves({ jobId: 'job-1' });
  const { deps, sleeps } = fakeDeps();

  const response = await onEvent(create(), deps);

  expect(response).toEqual(succeeded('job-1', 'v1'));
  expect(signerMock.commandCalls(StartSigningJobCommand)).toHaveLength(3);
  expect(sleeps).toEqual([2000, 4000]);
});

test('an access denial that outlasts IAM propagation (about 30 s) fails the resource', async () => {
  s3Mock.on(HeadObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
  const { deps, sleeps } = fakeDeps();

  const response = await onEvent(create(), deps);

  expect(response).toEqual({ ...IDS, Status: 'FAILED', PhysicalResourceId: 'signing-failed-req-1', Reason: 'HeadObject s3://cdk-assets-bucket/asset-v1.zip failed: AccessDenied: Access Denied' });
  expect(s3Mock.commandCalls(HeadObjectCommand)).toHaveLength(5);
  expect(sleeps).toEqual([2000, 4000, 8000, 16000]);
  expect(signerMock.commandCalls(StartSigningJobCommand)).toHaveLength(0);
});

test('a signed package without a version id fails, since the function is pinned to the version', async () => {
  givenJob(signed('job-1', 'signed/job-1.zip'));
  s3Mock.on(HeadObjectCommand, { Bucket: PROPS.DestinationBucket }).resolves({});

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'job-1', Reason: expect.stringContaining('s3://signed-bucket/signed/job-1.zip has no version id') });
});

test('sendResponse counts content-length in bytes, not characters', async () => {
  const { sent } = fakeHttps({ statusCode: 200 });
  await sendResponse(URL, { ...IDS, Status: 'FAILED', PhysicalResourceId: 'p', Reason: 'échec ✗' });
  expect(sent.options?.headers).toEqual({ 'content-type': '', 'content-length': sent.body!.length + 3 });
});

test('handler rejects, after logging, when CloudFormation cannot be reached, so Lambda retries the invocation', async () => {
  fakeHttps({ error: new Error('ECONNRESET') });
  await expect(handler(DELETE, CONTEXT)).rejects.toThrow('ECONNRESET');
  expect(console.error).toHaveBeenCalledWith(expect.stringContaining('SendResponse'));
});

test('sendResponse rejects on a non-2xx answer and on a network error', async () => {
  fakeHttps({ statusCode: 403 });
  await expect(sendResponse(URL, { ...IDS, Status: 'SUCCESS', PhysicalResourceId: 'p' })).rejects.toThrow('HTTP 403');
  jest.restoreAllMocks();
  fakeHttps({ error: new Error('ECONNRESET') });
  await expect(sendResponse(URL, { ...IDS, Status: 'SUCCESS', PhysicalResourceId: 'p' })).rejects.toThrow('ECONNRESET');
});

test('sendResponse refuses a response URL that is not HTTPS, without any request', async () => {
  const request = jest.spyOn(https, 'request');
  await expect(sendResponse('http://example.com/response', { ...IDS, Status: 'SUCCESS', PhysicalResourceId: 'p' })).rejects.toThrow('non-TLS');
  expect(request).not.toHaveBeenCalled();
});
