// What every custom-resource handler of this library shares: the response body
// CloudFormation expects and the HTTPS PUT that delivers it to the pre-signed URL.
// Bundled into each handler by esbuild; uses only Node.js built-ins.
import * as https from 'https';

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
