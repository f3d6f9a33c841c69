// npm run bench: resources, fixed monthly cost and synthesis time of SecureFunction
// stacks, side by side with plain lambda.Functions, in one run. Writes docs/bench.md
// and docs/bench-resources.svg.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { plainApp, plainInDefaultVpcApp, secureApp } from './apps';
import { interfaceEndpoints, monthlyCost, PRICES, totalMonthly } from './cost-model';
import { resourcesChart } from './svg-chart';
import { SecureFunction, SecureFunctionGuard } from '../../src';

const SIZES = [1, 10, 30];
const TIMED_FUNCTIONS = 30;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 9);
const COLD_REPEATS = Math.max(3, Math.ceil(REPEATS / 2));
const STACK_LIMIT = 500;

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, any> }> };

const lib = { SecureFunction, SecureFunctionGuard };

function template(app: App): Template {
  return app.synth().getStackByName('Bench').template as Template;
}

function count(t: Template): number {
  return Object.keys(t.Resources ?? {}).length;
}

/** The times of one repeat of the in-process measure, in a fresh warmed process (see warm-synth.ts). */
interface WarmRun {
  readonly plainBefore: number;
  readonly secure: number;
  readonly guarded: number;
  readonly plainAfter: number;
  readonly plainDistinct: number;
  readonly secureDistinct: number;
}

function warmRun(n: number): WarmRun {
  const run = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'warm-synth.ts'), String(n)], {
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', '..', 'tsconfig.dev.json') },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`warm-synth ${n} failed: ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as WarmRun;
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

/** Resources per stack for each size, and the straight line through the first and last. */
function resourceCurve(distinctCode: boolean) {
  const points = SIZES.map((n) => ({ n, resources: count(template(secureApp(lib, n, { distinctCode }))) }));
  const first = points[0];
  const last = points[points.length - 1];
  const marginal = (last.resources - first.resources) / (last.n - first.n);
  const fixed = first.resources - marginal * first.n;
  return { points, marginal, fixed, fit: Math.floor((STACK_LIMIT - fixed) / marginal) };
}

function main(): void {
  // Resources: one code package per function (the worst case), and one shared bundle.
  const own = resourceCurve(true);
  const shared = resourceCurve(false);
  const { marginal, fixed, fit } = own;
  const resources = own.points;

  // Cost.
  const t1 = template(secureApp(lib, 1));
  const tN = template(secureApp(lib, TIMED_FUNCTIONS));
  const t1s = template(secureApp(lib, 1, { secrets: true }));
  const tNs = template(secureApp(lib, TIMED_FUNCTIONS, { secrets: true }));
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
  const plainResources = count(template(plainApp(TIMED_FUNCTIONS)));

  // Synthesis time. In process: one fresh, warmed process per repeat; `cdk synth`-like: one process per app, interleaved.
  const warm: WarmRun[] = [];
  const cold = { plain: [] as number[], secure: [] as number[] };
  for (let i = 0; i < REPEATS; i++) {
    warm.push(warmRun(TIMED_FUNCTIONS));
    if (i < COLD_REPEATS) {
      cold.plain.push(timedProcess('plain', TIMED_FUNCTIONS));
      cold.secure.push(timedProcess('secure', TIMED_FUNCTIONS));
    }
  }
  const plainOf = (r: WarmRun) => (r.plainBefore + r.plainAfter) / 2;
  const times = {
    plain: warm.map(plainOf),
    secure: warm.map((r) => r.secure),
    guarded: warm.map((r) => r.guarded),
    plainDistinct: warm.map((r) => r.plainDistinct),
    secureDistinct: warm.map((r) => r.secureDistinct),
  };
  const coldRatio = median(cold.secure) / median(cold.plain);
  const secureRatio = median(warm.map((r) => r.secure / plainOf(r)));
  const distinctRatio = median(warm.map((r) => r.secureDistinct / r.plainDistinct));
  const guardRatio = median(warm.map((r) => r.guarded / r.secure));
  const worstRatio = Math.max(secureRatio, distinctRatio);
  const runs = (values: number[]) => `${median(values).toFixed(0)} ms | ${values.map((t) => t.toFixed(0)).join(', ')}`;

  const check = (ok: boolean) => (ok ? 'met' : '**missed**');
  const lines = [
    '# Benchmark: what the security baseline costs',
    '',
    `Generated by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${REPEATS} repeats). Timings are medians and only their ratios mean anything: machines are noisy. Apps are built with the context \`cdk synth\` passes (path and asset metadata, version reporting, creation stack traces), CloudFormation schema validation included.`,
    '',
    '## Resources per stack',
    '',
    '| SecureFunctions | Resources, one code package each | Resources, one shared bundle |',
    '|---|---|---|',
    ...resources.map((r, i) => `| ${r.n} | ${r.resources} | ${shared.points[i].resources} |`),
    '',
    `Marginal: **${marginal.toFixed(1)} resources per additional function** with a code package of its own (fixed part ${fixed.toFixed(0)}); ${shared.marginal.toFixed(1)} when functions deploy one shared bundle, which is signed once. CloudFormation stops at ${STACK_LIMIT} resources per stack: **${fit} SecureFunctions fit in one stack** (${shared.fit} sharing a bundle).`,
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
    `Two measures. **\`cdk synth\`**: the wall time of one process per app, plain and secure interleaved, run as \`cdk synth\` runs a TypeScript app (node, ts-node, the library loaded from its compiled \`lib/\` as an installed package is): process start, module loading, construction, synthesis, writing the cloud assembly and CDK's CloudFormation validation, which starts a WASM engine in every process. This is what a developer waits for. **In process**: construction and \`app.synth()\` only, in a warm process: each repeat is a fresh process that builds and synthesizes every app twice untimed, then times each once (the plain app before and after the others). A fresh process per repeat, because CDK's token map is global and keeps every token of every app a process ever built, so one long-lived process would time the garbage collector more with every app. The ratio is the median of the per-repeat ratios. This measure isolates what each construct costs, and is bound by the resource count (${(count(tN) / plainResources).toFixed(1)} times as many resources as the plain app).`,
    '',
    '| App | `cdk synth` median | Runs | In-process median | Runs |',
    '|---|---|---|---|---|',
    `| ${TIMED_FUNCTIONS} plain lambda.Functions, one shared bundle | ${runs(cold.plain)} | ${runs(times.plain)} |`,
    `| ${TIMED_FUNCTIONS} SecureFunctions, one shared bundle | ${runs(cold.secure)} | ${runs(times.secure)} |`,
    `| ${TIMED_FUNCTIONS} SecureFunctions + SecureFunctionGuard | | | ${runs(times.guarded)} |`,
    `| ${TIMED_FUNCTIONS} plain lambda.Functions, one code package each | | | ${runs(times.plainDistinct)} |`,
    `| ${TIMED_FUNCTIONS} SecureFunctions, one code package each | | | ${runs(times.secureDistinct)} |`,
    '',
    `SecureFunction / plain: **${coldRatio.toFixed(2)}x** under \`cdk synth\`; in process **${secureRatio.toFixed(2)}x** with one shared bundle and **${distinctRatio.toFixed(2)}x** with a package per function; guard overhead in process: **${((guardRatio - 1) * 100).toFixed(0)}%**.`,
    '',
    '## Targets',
    '',
    '| Target | Measured | |',
    '|---|---|---|',
    `| at most 16 resources per additional function (a code package each) | ${marginal.toFixed(1)} | ${check(marginal <= 16)} |`,
    `| at least 30 functions in one stack | ${fit} | ${check(fit >= 30)} |`,
    `| one function without secrets at most $3 a month | ${money(costs.one)} | ${check(costs.one <= 3)} |`,
    `| one function with a secret at most $32 a month | ${money(costs.oneSecret)} | ${check(costs.oneSecret <= 32)} |`,
    `| each additional function at most $1.60 a month | ${money(perFunction)} | ${check(perFunction <= 1.6)} |`,
    `| no interface endpoint when no grant needs one | ${interfaceEndpoints(t1).length} | ${check(interfaceEndpoints(t1).length === 0)} |`,
    `| synthesis (\`cdk synth\`) of ${TIMED_FUNCTIONS} SecureFunctions at most 6x ${TIMED_FUNCTIONS} plain functions | ${coldRatio.toFixed(2)}x | ${check(coldRatio <= 6)} |`,
    `| the same, in process (construction and synthesis only; the worse of shared bundle and package per function) | ${worstRatio.toFixed(2)}x | ${check(worstRatio <= 6)} |`,
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
