// Inline code (lambda.Code.fromInline, a CfnFunction's ZipFile) cannot be
// signed as it is: Lambda zips it itself at deployment. The same file, staged
// as a .zip asset, is signed at deploy time like any asset and runs the same:
// Lambda writes inline code into index.js for Node.js and index.py for Python,
// the only runtimes that take it, and the handler names that file.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { invalidInput, show } from '../cfn/errors';

/** The file Lambda writes a runtime's inline code into, or undefined for a runtime that takes none. */
export function inlineFileName(runtime: string): string | undefined {
  if (runtime.startsWith('nodejs')) {
    return 'index.js';
  }
  if (runtime.startsWith('python')) {
    return 'index.py';
  }
  return undefined;
}

/**
 * Fails, naming the runtime and the fix, when `runtime` takes no inline code
 * (Lambda runs inline code for Node.js and Python only).
 */
export function checkInlineRuntime(where: string, runtime: unknown): void {
  if (typeof runtime !== 'string' || inlineFileName(runtime) === undefined) {
    throw invalidInput(`${where} 'code'`, 'is inline code, which Lambda runs only for Node.js and Python runtimes (it writes it into index.js or index.py)',
      `inline code for runtime ${show(runtime)}`, 'put the code in a directory and use lambda.Code.fromAsset(dir)');
  }
}

/**
 * Inline code as a .zip asset holding the one file Lambda would have written
 * (index.js or index.py), staged from a folder named after its content.
 *
 * @param scope where the asset is created (as `InlineCode`)
 * @param text the inline code
 * @param runtime the function's runtime name, e.g. 'nodejs24.x'
 */
export function inlineCodeAsset(scope: Construct, text: string, runtime: string): s3assets.Asset {
  const file = inlineFileName(runtime)!;
  const digest = crypto.createHash('sha256').update(`${file}\0${text}`).digest('hex').slice(0, 32);
  const dir = path.join(os.tmpdir(), 'cdk-secure-function-inline', digest);
  if (!fs.existsSync(path.join(dir, file))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return new s3assets.Asset(scope, 'InlineCode', { path: dir });
}
