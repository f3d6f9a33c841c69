import { EventEmitter } from 'events';
import * as https from 'https';
import { DescribeManagedPrefixListsCommand, EC2Client, ManagedPrefixList } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, onEvent, PrefixListDeps } from '../../../../src/deploy-time/handlers/prefix-lists';

// As in the signer's test: lets jest.spyOn(https, 'request') replace the request the shared response code makes.
jest.mock('https', () => ({ __esModule: true, ...jest.requireActual('https') }));

const ec2Mock = mockClient(EC2Client);

const URL = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/response?sig=abc';
const NAME = 'com.amazonaws.eu-west-1.s3';
const PROPS = { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:lookup', PrefixListName: NAME };
const BASE = {
  ResponseURL: URL,
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/s/1',
  RequestId: 'req-1',
  LogicalResourceId: 'S3PrefixList',
  ResourceType: 'Custom::ManagedPrefixList',
  ServiceToken: PROPS.ServiceToken,
};
const IDS = { StackId: BASE.StackId, RequestId: BASE.RequestId, LogicalResourceId: BASE.LogicalResourceId };

function create(props: Record<string, string> = {}): CloudFormationCustomResourceEvent {
  return { ...BASE, RequestType: 'Create', ResourceProperties: { ...PROPS, ...props } };
}
function update(props: Record<string, string> = {}): CloudFormationCustomResourceEvent {
  return { ...BASE, RequestType: 'Update', PhysicalResourceId: 'pl-old', ResourceProperties: { ...PROPS, ...props }, OldResourceProperties: PROPS };
}
const DELETE: CloudFormationCustomResourceEvent = { ...BASE, RequestType: 'Delete', PhysicalResourceId: 'pl-6da54004', ResourceProperties: PROPS };

function list(id: string, owner = 'AWS', name = NAME): ManagedPrefixList {
  return { PrefixListId: id, PrefixListName: name, OwnerId: owner, AddressFamily: 'IPv4', State: 'create-complete' };
}

function fakeDeps(): { deps: PrefixListDeps; sleeps: number[] } {
  const sleeps: number[] = [];
  return { deps: { ec2: new EC2Client({}), sleep: async (ms) => { sleeps.push(ms); } }, sleeps };
}

/** The inputs of every DescribeManagedPrefixLists call made. */
function describeInputs() {
  return ec2Mock.commandCalls(DescribeManagedPrefixListsCommand).map((c) => c.args[0].input);
}

const FILTER_FOR = (name: string) => ({ Filters: [{ Name: 'prefix-list-name', Values: [name] }] });

beforeEach(() => {
  ec2Mock.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('create answers the id of the one AWS-managed list with that name', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [list('pl-6da54004')] });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toEqual({ ...IDS, Status: 'SUCCESS', PhysicalResourceId: 'pl-6da54004', Data: { PrefixListId: 'pl-6da54004' } });
});

test('the filter sent is exactly the PrefixListName property, and nothing else', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [list('pl-66a5400f', 'AWS', 'com.amazonaws.eu-west-1.dynamodb')] });

  await onEvent(create({ PrefixListName: 'com.amazonaws.eu-west-1.dynamodb' }), fakeDeps().deps);

  expect(describeInputs()).toEqual([FILTER_FOR('com.amazonaws.eu-west-1.dynamodb')]);
});

test('update looks the name up again and answers the id', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [list('pl-66a5400f', 'AWS', 'com.amazonaws.eu-west-1.dynamodb')] });

  const response = await onEvent(update({ PrefixListName: 'com.amazonaws.eu-west-1.dynamodb' }), fakeDeps().deps);

  expect(response).toEqual({ ...IDS, Status: 'SUCCESS', PhysicalResourceId: 'pl-66a5400f', Data: { PrefixListId: 'pl-66a5400f' } });
  expect(describeInputs()).toEqual([FILTER_FOR('com.amazonaws.eu-west-1.dynamodb')]);
});

test('delete succeeds at once, keeps the physical id and does not call EC2', async () => {
  const response = await onEvent(DELETE, fakeDeps().deps);

  expect(response).toEqual({ ...IDS, Status: 'SUCCESS', PhysicalResourceId: 'pl-6da54004' });
  expect(ec2Mock.calls()).toHaveLength(0);
});

test('no list with that name fails the resource with a reason naming it', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [] });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toEqual({
    ...IDS,
    Status: 'FAILED',
    PhysicalResourceId: 'prefix-list-lookup-failed-req-1',
    Reason: `No AWS-managed prefix list is named '${NAME}' in this region (no prefix list has that name). ` +
      'Check that the service offers a gateway endpoint here (S3 and DynamoDB do), and that the name is com.amazonaws.<region>.<service>.',
  });
});

test('a customer-owned list with that name is not taken: the resource fails with a reason naming it', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [list('pl-0123456789abcdef0', '111111111111')] });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toContain(`No AWS-managed prefix list is named '${NAME}'`);
  expect(response.Reason).toContain('only 1 list(s) not owned by AWS have that name');
  expect(response).not.toHaveProperty('Data');
});

test('the AWS-managed list is taken when a customer-owned one shares its name', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [list('pl-0123456789abcdef0', '111111111111'), list('pl-6da54004')] });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'pl-6da54004' });
});

test('two AWS-managed lists with the name fail the resource, naming both', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [list('pl-1'), list('pl-2')] });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toMatchObject({ Status: 'FAILED', Reason: `2 AWS-managed prefix lists are named '${NAME}' (pl-1, pl-2); expected exactly one.` });
});

test('every page of the answer is read, through the SDK\'s paginator', async () => {
  // The paginator sends one input object, changed page by page: each request is copied as it is sent.
  const sent: unknown[] = [];
  ec2Mock.on(DescribeManagedPrefixListsCommand).callsFake((input) => {
    sent.push(JSON.parse(JSON.stringify(input)));
    return sent.length === 1 ? { PrefixLists: [], NextToken: 'page-2' } : { PrefixLists: [list('pl-6da54004')] };
  });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response.PhysicalResourceId).toBe('pl-6da54004');
  expect(sent).toEqual([FILTER_FOR(NAME), { ...FILTER_FOR(NAME), NextToken: 'page-2' }]);
});

test('an answer of more than ten pages fails the resource rather than paging on', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [], NextToken: 'more' });

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toMatchObject({ Status: 'FAILED', Reason: `DescribeManagedPrefixLists for '${NAME}' returned more than 10 pages` });
  expect(describeInputs()).toHaveLength(10);
});

test('an EC2 error fails the resource with the call, the name and the error, and no stack trace', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' }));

  const response = await onEvent(create(), fakeDeps().deps);

  expect(response).toEqual({
    ...IDS,
    Status: 'FAILED',
    PhysicalResourceId: 'prefix-list-lookup-failed-req-1',
    Reason: `DescribeManagedPrefixLists for '${NAME}' failed: RequestLimitExceeded: Rate exceeded`,
  });
  expect(response.Reason).not.toMatch(/\n\s+at /);
});

test('a failed update keeps the old physical id so CloudFormation does not see a replacement', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalError' }));

  const response = await onEvent(update(), fakeDeps().deps);

  expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'pl-old' });
});

test('an access denial right after the grant is retried while IAM propagates', async () => {
  const denied = Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' });
  ec2Mock.on(DescribeManagedPrefixListsCommand).rejectsOnce(denied).rejectsOnce(denied).resolves({ PrefixLists: [list('pl-6da54004')] });
  const { deps, sleeps } = fakeDeps();

  const response = await onEvent(create(), deps);

  expect(response.PhysicalResourceId).toBe('pl-6da54004');
  expect(sleeps).toEqual([1000, 2000]);
});

test('an access denial that outlasts IAM propagation (about 15 s) fails the resource', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
  const { deps, sleeps } = fakeDeps();

  const response = await onEvent(create(), deps);

  expect(sleeps).toEqual([1000, 2000, 4000, 8000]);
  expect(describeInputs()).toHaveLength(5);
  expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('UnauthorizedOperation') });
});

test('a missing PrefixListName fails without calling EC2', async () => {
  const response = await onEvent(create({ PrefixListName: '' }), fakeDeps().deps);

  expect(response).toMatchObject({ Status: 'FAILED', Reason: 'ResourceProperties.PrefixListName is required (got "")' });
  expect(ec2Mock.calls()).toHaveLength(0);
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

test('handler PUTs the response body to the CloudFormation response URL', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [list('pl-6da54004')] });
  const { spy, sent } = fakeHttps({ statusCode: 200 });

  await handler(create());

  expect(spy).toHaveBeenCalledTimes(1);
  expect(sent.url).toBe(URL);
  expect(sent.options?.method).toBe('PUT');
  expect(sent.options?.headers).toEqual({ 'content-type': '', 'content-length': Buffer.byteLength(sent.body!) });
  expect(JSON.parse(sent.body!)).toEqual({ ...IDS, Status: 'SUCCESS', PhysicalResourceId: 'pl-6da54004', Data: { PrefixListId: 'pl-6da54004' } });
});

test('handler reports a failure to CloudFormation instead of throwing', async () => {
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [] });
  const { sent } = fakeHttps({ statusCode: 200 });

  await handler(create());

  expect(JSON.parse(sent.body!)).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'prefix-list-lookup-failed-req-1', Reason: expect.stringContaining(NAME) });
});

test('handler rejects, after logging, when CloudFormation cannot be reached, so Lambda retries the invocation', async () => {
  fakeHttps({ error: new Error('ECONNRESET') });

  await expect(handler(DELETE)).rejects.toThrow('ECONNRESET');
  expect(console.error).toHaveBeenCalledWith(expect.stringContaining('SendResponse'));
});
