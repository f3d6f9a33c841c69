// Custom-resource handler: finds the id (pl-...) of an AWS-managed prefix list, such as the one
// of a gateway endpoint's service (com.amazonaws.<region>.s3), which CloudFormation does not return.
// Runs on the Node.js Lambda runtime, which provides the AWS SDK v3 (the bundle leaves it out).
// eslint-disable-next-line import/no-extraneous-dependencies
import { EC2Client, ManagedPrefixList, paginateDescribeManagedPrefixLists } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { retryWhileAccessDenied } from '../shared/after-grant';
import { answerCloudFormation, CustomResourceResponse, truncateReason } from '../shared/cfn-response';

/** What the handler needs from the outside world; injected so tests control the client and time. */
export interface PrefixListDeps {
  ec2: EC2Client;
  sleep(ms: number): Promise<void>;
}

/** The owner of prefix lists AWS manages. */
const AWS_OWNER = 'AWS';
/** A name filter matches a handful of lists at most; more pages than this means something is wrong. */
const MAX_PAGES = 10;
/**
 * How long a just-granted permission may take to reach IAM everywhere: about 15 s
 * in all, well inside the function's 30-s timeout.
 */
const IAM_PROPAGATION_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

/** A failure whose message is already written for the person reading the stack events. */
class LookupError extends Error {}

function log(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry));
}

function describeError(err: unknown): string {
  if (err instanceof LookupError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function isAccessDenied(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name ?? '';
  return name === 'UnauthorizedOperation' || name === 'AccessDenied' || name === 'AccessDeniedException';
}

/**
 * Every prefix list whose name is `name`, all pages (the SDK's paginator),
 * retrying an access denial while IAM propagates.
 */
async function listsNamed(name: string, deps: PrefixListDeps): Promise<ManagedPrefixList[]> {
  return afterGrant(`DescribeManagedPrefixLists for '${name}'`, async () => {
    const found: ManagedPrefixList[] = [];
    let pages = 0;
    for await (const page of paginateDescribeManagedPrefixLists({ client: deps.ec2 }, { Filters: [{ Name: 'prefix-list-name', Values: [name] }] })) {
      found.push(...(page.PrefixLists ?? []));
      if (++pages === MAX_PAGES && page.NextToken) {
        throw new LookupError(`DescribeManagedPrefixLists for '${name}' returned more than ${MAX_PAGES} pages`);
      }
    }
    return found;
  }, deps);
}

/**
 * Runs a call that depends on the permission granted in the same deployment:
 * an access denial is retried for about 15 s before it counts.
 */
async function afterGrant<T>(what: string, call: () => Promise<T>, deps: PrefixListDeps): Promise<T> {
  try {
    return await retryWhileAccessDenied(call, {
      delaysMs: IAM_PROPAGATION_DELAYS_MS,
      isAccessDenied,
      sleep: deps.sleep,
      onRetry: (delayMs) => log({ step: 'RetryAccessDenied', what, delayMs }),
    });
  } catch (err) {
    if (err instanceof LookupError) throw err;
    throw new LookupError(`${what} failed: ${describeError(err)}`, { cause: err });
  }
}

/** The one AWS-managed prefix list named `name`, or a LookupError saying what was found instead. */
async function managedPrefixListId(name: string, deps: PrefixListDeps): Promise<string> {
  const lists = await listsNamed(name, deps);
  const managed = lists.filter((list) => list.OwnerId === AWS_OWNER);
  log({ step: 'DescribeManagedPrefixLists', name, found: lists.length, awsManaged: managed.map((list) => list.PrefixListId) });
  if (managed.length === 0) {
    const others = lists.length === 0 ? 'no prefix list has that name' : `only ${lists.length} list(s) not owned by AWS have that name`;
    throw new LookupError(
      `No AWS-managed prefix list is named '${name}' in this region (${others}). ` +
      'Check that the service offers a gateway endpoint here (S3 and DynamoDB do), and that the name is com.amazonaws.<region>.<service>.');
  }
  if (managed.length > 1) {
    throw new LookupError(`${managed.length} AWS-managed prefix lists are named '${name}' (${managed.map((l) => l.PrefixListId).join(', ')}); expected exactly one.`);
  }
  const id = managed[0].PrefixListId;
  if (!id) {
    throw new LookupError(`The AWS-managed prefix list named '${name}' has no PrefixListId in the DescribeManagedPrefixLists answer.`);
  }
  return id;
}

/** The logic of the custom resource: returns the response body and never throws. */
export async function onEvent(event: CloudFormationCustomResourceEvent, deps: PrefixListDeps): Promise<CustomResourceResponse> {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  log({ step: 'Event', requestType: event.RequestType, requestId: event.RequestId, logicalResourceId: event.LogicalResourceId });

  if (event.RequestType === 'Delete') {
    // A lookup creates nothing: there is nothing to delete, and no AWS call is made.
    const response: CustomResourceResponse = { ...base, Status: 'SUCCESS', PhysicalResourceId: event.PhysicalResourceId };
    log({ step: 'Response', status: response.Status, physicalResourceId: response.PhysicalResourceId });
    return response;
  }

  try {
    const name = (event.ResourceProperties ?? {}).PrefixListName as unknown;
    if (typeof name !== 'string' || name === '') {
      throw new LookupError(`ResourceProperties.PrefixListName is required (got ${JSON.stringify(name)})`);
    }
    const id = await managedPrefixListId(name, deps);
    const response: CustomResourceResponse = { ...base, Status: 'SUCCESS', PhysicalResourceId: id, Data: { PrefixListId: id } };
    log({ step: 'Response', status: response.Status, physicalResourceId: id, data: response.Data });
    return response;
  } catch (err) {
    const reason = truncateReason(describeError(err));
    const physicalResourceId = event.RequestType === 'Update'
      ? event.PhysicalResourceId // keep the old one: a new id would mean a replacement
      : `prefix-list-lookup-failed-${event.RequestId}`;
    const response: CustomResourceResponse = { ...base, Status: 'FAILED', Reason: reason, PhysicalResourceId: physicalResourceId };
    log({ step: 'Response', status: response.Status, physicalResourceId, reason });
    return response;
  }
}

/** Lambda entry point: always answers CloudFormation, or a stack waits for this resource until it times out. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  await answerCloudFormation(event, () => onEvent(event, {
    ec2: new EC2Client({}),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }), describeError, `prefix-list-lookup-failed-${event.RequestId}`);
}
