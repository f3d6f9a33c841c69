// The apps the benchmark builds: N SecureFunctions or N plain lambda.Functions in one
// stack (or N in each of several stacks), with the context `cdk synth` passes. Functions deploy either one shared bundle
// (a monorepo service with several handlers) or one code package each.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CLI_CONTEXT, CODE_DIR } from './bench-context';

/** What the library exports that the apps use (the sources in process, the compiled lib/ in a `cdk synth`-like process). */
export interface Library {
  readonly SecureFunction: new (scope: Stack, id: string, props: any) => unknown;
  readonly LambdaRulesAspect: { applyTo(scope: App): void };
}

/** How the functions of an app are built. */
export interface AppOptions {
  /** All read one Secrets Manager secret (a shared database credential). */
  readonly secrets?: boolean;
  /** LambdaRulesAspect guards the app. */
  readonly guard?: boolean;
  /** Each function deploys a code package of its own, instead of one shared bundle. */
  readonly distinctCode?: boolean;
  /** Where the app writes its cloud assembly. */
  readonly outdir?: string;
  /** Stacks of N functions each (default 1): `Bench`, `Bench2`, `Bench3`... */
  readonly stacks?: number;
}

/** The app's stacks: `Bench`, then `Bench2`, `Bench3`... */
function stacksOf(app: App, options: AppOptions): Stack[] {
  const stacks: Stack[] = [];
  for (let s = 0; s < (options.stacks ?? 1); s++) {
    stacks.push(new Stack(app, s === 0 ? 'Bench' : `Bench${s + 1}`));
  }
  return stacks;
}

/** The code of function `i`: the shared bundle, or a package of its own (same content every run, so the same asset hash). */
export function codeOf(i: number, distinct: boolean | undefined): lambda.Code {
  if (!distinct) {
    return lambda.Code.fromAsset(CODE_DIR);
  }
  const dir = path.join(os.tmpdir(), 'secure-function-bench-code', String(i));
  const source = `exports.handler = async () => ({ statusCode: 200, body: 'handler ${i}' });\n`;
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.js'), source);
  }
  return lambda.Code.fromAsset(dir);
}

export function secureApp(lib: Library, n: number, options: AppOptions = {}): App {
  const app = new App({ outdir: options.outdir, context: CLI_CONTEXT });
  stacksOf(app, options).forEach((stack, s) => {
    const secret = options.secrets ? new secretsmanager.Secret(stack, 'DbSecret') : undefined;
    for (let i = 0; i < n; i++) {
      new lib.SecureFunction(stack, `Fn${i}`, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: codeOf(s * n + i, options.distinctCode),
        secrets: secret ? { DB_SECRET_ARN: secret } : undefined,
      });
    }
  });
  if (options.guard) {
    lib.LambdaRulesAspect.applyTo(app);
  }
  return app;
}

export function plainApp(n: number, options: AppOptions = {}): App {
  const app = new App({ outdir: options.outdir, context: CLI_CONTEXT });
  stacksOf(app, options).forEach((stack, s) => {
    for (let i = 0; i < n; i++) {
      new lambda.Function(stack, `Fn${i}`, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: codeOf(s * n + i, options.distinctCode) });
    }
  });
  return app;
}

/** A plain function in a default ec2.Vpc, in an environment with three AZs: what teams often start from. */
export function plainInDefaultVpcApp(): App {
  const env = { account: '111111111111', region: 'us-east-1' };
  const app = new App({ context: { [`availability-zones:account=${env.account}:region=${env.region}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'] } });
  const stack = new Stack(app, 'Bench', { env });
  new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(CODE_DIR), vpc: new ec2.Vpc(stack, 'Vpc'),
  });
  return app;
}
