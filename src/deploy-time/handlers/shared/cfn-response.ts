// What every custom-resource handler of this library shares: the response body
// CloudFormation expects and the HTTPS PUT that delivers it to the pre-signed URL.
// Bundled into each handler by esbuild; uses only Node.js built-ins.
import * as https from 'https';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The body CloudFormation expects at the pre-signed ResponseURL. */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/** CloudFormation caps the whole response at 4 KB. */
const MAX_REASON_LENGTH = 1000;

/** Shortens a failure reason to what fits in the response, marking the cut. */
export function truncateReason(text: string): string {
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH - 3)}...`;
}

/** PUTs the response body to CloudFormation's pre-signed URL. */
export async function sendResponse(responseUrl: string, body: CustomResourceResponse): Promise<void> {
  if (new URL(responseUrl).protocol !== 'https:') {
    throw new Error(`Refusing to send the response over a non-TLS URL (${new URL(responseUrl).protocol})`);
  }
  const data = JSON.stringify(body);
  await new Promise<void>((resolve, reject) => {
    const request = https.request(responseUrl, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(data) },
    }, (response) => {
      response.resume(); // drain, so the socket is released
      const code = response.statusCode ?? 0;
      if (code >= 200 && code < 300) {
        resolve();
      } else {
        reject(new Error(`CloudFormation response URL answered HTTP ${code} ${response.statusMessage ?? ''}`.trim()));
      }
    });
    request.on('error', reject);
    request.end(data);
  });
}

/**
 * Answers CloudFormation whatever happens, or a stack waits for the resource
 * until it times out: the response `work` gives, or FAILED with the error it
 * threw (work is meant never to throw; this is the last line of defence). A
 * response that cannot be sent is logged and thrown, so that the asynchronous
 * invocation is retried (every handler of the library answers idempotently).
 *
 * @param failedId the physical id of a resource whose creation failed
 */
export async function answerCloudFormation(
  event: CloudFormationCustomResourceEvent,
  work: () => Promise<CustomResourceResponse>,
  describe: (err: unknown) => string,
  failedId: string,
): Promise<void> {
  let body: CustomResourceResponse;
  try {
    body = await work();
  } catch (err) {
    console.error(JSON.stringify({ step: 'Unexpected', error: describe(err) }));
    body = {
      Status: 'FAILED',
      Reason: truncateReason(`Unexpected error: ${describe(err)}`),
      PhysicalResourceId: (event as { PhysicalResourceId?: string }).PhysicalResourceId ?? failedId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
  }
  try {
    await sendResponse(event.ResponseURL, body);
  } catch (err) {
    console.error(JSON.stringify({ step: 'SendResponse', error: describe(err) }));
    throw err;
  }
}
