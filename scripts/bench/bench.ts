// npm run bench: resources, fixed monthly cost and synthesis time of SecureFunction
// stacks, side by side with plain lambda.Functions, in one run. Writes docs/bench.md
// and docs/bench-resources.svg.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CLI_CONTEXT, CODE_DIR } from './bench-context';
import { interfaceEndpoints, monthlyCost, PRICES, totalMonthly } from './cost-model';
import { resourcesChart } from './svg-chart';
import { SecureFunction, SecureFunctionGuard } from '../../src';

const SIZES = [1, 10, 30];
const TIMED_FUNCTIONS = 30;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 9);
const COLD_REPEATS = Math.max(3, Math.ceil(REPEATS / 2));
const STACK_LIMIT = 500;

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, any> }> };

/** SecureFunctions; with `secrets`, all read one Secrets Manager secret (a shared database credential). */
function secureApp(n: number, options: { secrets?: boolean; guard?: boolean } = {}): App {
  const app = new App({ context: CLI_CONTEXT });
  const stack = new Stack(app, 'Bench');
  const secret = options.secrets ? new secretsmanager.Secret(stack, 'DbSecret') : undefined;
  for (let i = 0; i < n; i++) {
    new SecureFunction(stack, `Fn${i}`, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(CODE_DIR),
      secrets: secret ? { DB_SECRET_ARN: secret } : undefined,
    });
  }
  if (options.guard) {
    SecureFunctionGuard.applyTo(app);
  }
  return app;
}

function plainApp(n: number): App {
  const app = new App({ context: CLI_CONTEXT });
  const stack = new Stack(app, 'Bench');
  for (let i = 0; i < n; i++) {
    new lambda.Function(stack, `Fn${i}`, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(CODE_DIR) });
  }
  return app;
}

/** A plain function in a default ec2.Vpc, in an environment with three AZs: what teams often start from. */
function plainInDefaultVpcApp(): App {
  const env = { account: '111111111111', region: 'us-east-1' };
  const app = new App({ context: { [`availability-zones:account=${env.account}:region=${env.region}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'] } });
  const stack = new Stack(app, 'Bench', { env });
  new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(CODE_DIR), vpc: new ec2.Vpc(stack, 'Vpc'),
  });
  return app;
}

function template(app: App): Template {
  return app.synth().getStackByName('Bench').template as Template;
}

function count(t: Template): number {
  return Object.keys(t.Resources ?? {}).length;
}

function timed(build: () => App): number {
  collectGarbage();
  const start = process.hrtime.bigint();
  build().synth();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Each timed app starts from a collected heap, so none pays for the garbage of the one before. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Wall time of one `cdk synth`-like process: node, ts-node, module loading, construction, synthesis, validation. */
function timedProcess(kind: 'plain' | 'secure', n: number): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`));
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'synth-app.ts'), kind, String(n), outdir], {
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', '..', 'tsconfig.dev.json') },
    encoding: 'utf8',
  });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (run.status !== 0) {
    throw new Error(`synth-app ${kind} ${n} failed: ${run.stderr}`);
  }
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const money = (v: number) => `$${v.toFixed(2)}`;

function main(): void {
  // Resources.
  const resources = SIZES.map((n) => ({ n, resources: count(template(secureApp(n))) }));
  const one = resources[0].resources;
  const last = resources[resources.length - 1];
  const marginal = (last.resources - one) / (last.n - 1);
  const fixed = one - marginal;
  const fit = Math.floor((STACK_LIMIT - fixed) / marginal);

  // Cost.
  const t1 = template(secureApp(1));
  const tN = template(secureApp(TIMED_FUNCTIONS));
  const t1s = template(secureApp(1, { secrets: true }));
  const tNs = template(secureApp(TIMED_FUNCTIONS, { secrets: true }));
  const plainVpc = template(plainInDefaultVpcApp());
  const costs = {
    one: totalMonthly(t1),
    n: totalMonthly(tN),
    oneSecret: totalMonthly(t1s),
    nSecret: totalMonthly(tNs),
    plainVpc: totalMonthly(plainVpc),
  };
  const perFunction = (costs.n - costs.one) / (TIMED_FUNCTIONS - 1);
  const perFunctionSecret = (costs.nSecret - costs.oneSecret) / (TIMED_FUNCTIONS - 1);

  // Synthesis time, interleaved: warm up once, then plain, secure, secure + guard in turn.
  timed(() => plainApp(TIMED_FUNCTIONS));
  timed(() => secureApp(TIMED_FUNCTIONS));
  const times = { plain: [] as number[], secure: [] as number[], guarded: [] as number[] };
  for (let i = 0; i < REPEATS; i++) {
    times.plain.push(timed(() => plainApp(TIMED_FUNCTIONS)));
    times.secure.push(timed(() => secureApp(TIMED_FUNCTIONS)));
    times.guarded.push(timed(() => secureApp(TIMED_FUNCTIONS, { guard: true })));
  }
  const cold = { plain: [] as number[], secure: [] as number[] };
  for (let i = 0; i < COLD_REPEATS; i++) {
    cold.plain.push(timedProcess('plain', TIMED_FUNCTIONS));
    cold.secure.push(timedProcess('secure', TIMED_FUNCTIONS));
  }
  const coldRatio = median(cold.secure) / median(cold.plain);
  const secureRatio = median(times.secure) / median(times.plain);
  const guardRatio = median(times.guarded) / median(times.secure);

  const check = (ok: boolean) => (ok ? 'met' : '**missed**');
  const lines = [
    '# Benchmark: what the security baseline costs',
    '',
    `Generated by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${REPEATS} interleaved repeats). Timings are medians and only their ratios mean anything: machines are noisy. Apps are built and synthesized in process with the context \`cdk synth\` passes (path and asset metadata, version reporting, creation stack traces), CloudFormation schema validation included.`,
    '',
    '## Resources per stack',
    '',
    '| SecureFunctions | Resources |',
    '|---|---|',
    ...resources.map((r) => `| ${r.n} | ${r.resources} |`),
    '',
    `Marginal: **${marginal.toFixed(1)} resources per additional function**; fixed part ${fixed.toFixed(0)}. CloudFormation stops at ${STACK_LIMIT} resources per stack: **${fit} SecureFunctions fit in one stack**.`,
    '',
    '![Resources per stack](bench-resources.svg)',
    '',
    '## Fixed monthly cost of the template',
    '',
    'What the resources cost while nothing runs (invocations, logs, data events and requests are usage, not fixed).',
    '',
    '| Template | Monthly | Lines |',
    '|---|---|---|',
    ...[
      ['1 SecureFunction', t1],
      [`${TIMED_FUNCTIONS} SecureFunctions`, tN],
      ['1 SecureFunction with a Secrets Manager secret', t1s],
      [`${TIMED_FUNCTIONS} SecureFunctions reading one shared secret`, tNs],
      ['1 plain lambda.Function in a default ec2.Vpc (3 AZs)', plainVpc],
    ].map(([name, t]) => `| ${name} | ${money(totalMonthly(t as Template))} | ${monthlyCost(t as Template).map((l) => `${l.count} ${l.item} ${money(l.monthly)}`).join(', ')} |`),
    '',
    `Per additional function: ${money(perFunction)}; reading the shared secret: ${money(perFunctionSecret)}; with a secret of its own add ${money(PRICES.secret)}.`,
    `Resources with the shared secret: ${count(tNs)} for ${TIMED_FUNCTIONS} functions (the endpoint and its client group are shared: no rule per function).`,
    `Interface endpoints without any grant that needs one: ${interfaceEndpoints(t1).length} (with a secret: ${interfaceEndpoints(t1s).join(', ')}).`,
    '',
    'Prices (monthly, us-east-1, 730 hours):',
    '',
    ...Object.entries(PRICES).map(([item, price]) => `- ${item}: ${money(price)}`),
    '',
    '## Synthesis time',
    '',
    `Two measures, each interleaved (plain, secure, plain, ...). **\`cdk synth\`**: the wall time of one process per app, run as \`cdk synth\` runs a TypeScript app (node, ts-node, the library loaded from its compiled \`lib/\` as an installed package is): process start, module loading, construction, synthesis, writing the cloud assembly and CDK's CloudFormation validation, which starts a WASM engine in every process. This is what a developer waits for. **In process**: construction and \`app.synth()\` only, repeated in one warm process; it isolates what each construct costs and is bound by the resource count (${(count(tN) / count(template(plainApp(TIMED_FUNCTIONS)))).toFixed(1)} times as many resources as the plain app).`,
    '',
    '| App | `cdk synth` median | Runs (ms) | In-process median | Runs (ms) |',
    '|---|---|---|---|---|',
    `| ${TIMED_FUNCTIONS} plain lambda.Functions | ${median(cold.plain).toFixed(0)} ms | ${cold.plain.map((t) => t.toFixed(0)).join(', ')} | ${median(times.plain).toFixed(0)} ms | ${times.plain.map((t) => t.toFixed(0)).join(', ')} |`,
    `| ${TIMED_FUNCTIONS} SecureFunctions | ${median(cold.secure).toFixed(0)} ms | ${cold.secure.map((t) => t.toFixed(0)).join(', ')} | ${median(times.secure).toFixed(0)} ms | ${times.secure.map((t) => t.toFixed(0)).join(', ')} |`,
    `| ${TIMED_FUNCTIONS} SecureFunctions + SecureFunctionGuard | | | ${median(times.guarded).toFixed(0)} ms | ${times.guarded.map((t) => t.toFixed(0)).join(', ')} |`,
    '',
    `SecureFunction / plain: **${coldRatio.toFixed(2)}x** under \`cdk synth\`, ${secureRatio.toFixed(2)}x in process; guard overhead in process: **${((guardRatio - 1) * 100).toFixed(0)}%**.`,
    '',
    '## Targets',
    '',
    '| Target | Measured | |',
    '|---|---|---|',
    `| at most 16 resources per additional function | ${marginal.toFixed(1)} | ${check(marginal <= 16)} |`,
    `| at least 30 functions in one stack | ${fit} | ${check(fit >= 30)} |`,
    `| one function without secrets at most $3 a month | ${money(costs.one)} | ${check(costs.one <= 3)} |`,
    `| one function with a secret at most $32 a month | ${money(costs.oneSecret)} | ${check(costs.oneSecret <= 32)} |`,
    `| each additional function at most $1.60 a month | ${money(perFunction)} | ${check(perFunction <= 1.6)} |`,
    `| no interface endpoint when no grant needs one | ${interfaceEndpoints(t1).length} | ${check(interfaceEndpoints(t1).length === 0)} |`,
    `| synthesis (\`cdk synth\`) of ${TIMED_FUNCTIONS} SecureFunctions at most 6x ${TIMED_FUNCTIONS} plain functions | ${coldRatio.toFixed(2)}x | ${check(coldRatio <= 6)} |`,
    `| the same, in process (construction and synthesis only) | ${secureRatio.toFixed(2)}x | ${check(secureRatio <= 6)} |`,
    `| the guard adds at most 30% | ${((guardRatio - 1) * 100).toFixed(0)}% | ${check(guardRatio <= 1.3)} |`,
    '',
  ];
  const outDir = path.join(__dirname, '..', '..', 'docs');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'bench.md'), lines.join('\n'));
  fs.writeFileSync(path.join(outDir, 'bench-resources.svg'), resourcesChart(resources, marginal, fixed, STACK_LIMIT));
  console.log(lines.filter((l) => !l.startsWith('![')).join('\n'));
  console.log('\nWritten: docs/bench.md, docs/bench-resources.svg');
}

main();
