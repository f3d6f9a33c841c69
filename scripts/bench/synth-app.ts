// One app, synthesized in its own process the way `cdk synth` runs it (ts-node, the
// library loaded from its compiled lib/ as an installed package would be):
//   node -r ts-node/register/transpile-only scripts/bench/synth-app.ts <plain|secure> <n> <outdir>
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CLI_CONTEXT, CODE_DIR } from './bench-context';

const [kind, count, outdir] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const app = new App({ outdir, context: CLI_CONTEXT });
const stack = new Stack(app, 'Bench');
// A plain app never loads this library: requiring it is part of what SecureFunction costs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Fn = kind === 'secure' ? require(path.join(__dirname, '..', '..', 'lib')).SecureFunction : lambda.Function;
for (let i = 0; i < count; i++) {
  new Fn(stack, `Fn${i}`, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(CODE_DIR) });
}
app.synth();
