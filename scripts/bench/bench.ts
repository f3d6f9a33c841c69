// npm run bench: resources, fixed monthly cost and synthesis time of SecureFunction
// stacks, side by side with plain lambda.Functions, in one run. Writes docs/bench.md
// and docs/bench-resources.svg.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { plainApp, plainInDefaultVpcApp, secureApp } from './apps';
import { interfaceEndpoints, monthlyCost, PRICES, totalMonthly } from './cost-model';
import { resourcesChart } from './svg-chart';
import { median, medianRatio, ProcessCase, ProcessTimes, timeProcesses, WarmRun, warmRun } from './synth-times';
import { SecureFunction, LambdaRulesAspect } from '../../src';

const SIZES = [1, 10, 30];
const TIMED_FUNCTIONS = 30;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 9);
const PROCESS_REPEATS = Math.max(3, Math.ceil(REPEATS / 2));
const LARGE_STACKS = 10;
const STACK_LIMIT = 500;

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, any> }> };

const lib = { SecureFunction, LambdaRulesAspect };

function template(app: App): Template {
  return app.synth().getStackByName('Bench').template as Template;
}

function count(t: Template): number {
  return Object.keys(t.Resources ?? {}).length;
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

  // Synthesis time. `cdk synth`-like: one process per app, plain and secure interleaved;
  // steady state: one fresh, warmed process per repeat.
  const shapes: ProcessCase[] = [
    { label: `${TIMED_FUNCTIONS} functions, one shared bundle`, functions: TIMED_FUNCTIONS, stacks: 1, distinctCode: false, guarded: true, repeats: PROCESS_REPEATS },
    { label: `${TIMED_FUNCTIONS} functions, a code package each`, functions: TIMED_FUNCTIONS, stacks: 1, distinctCode: true, repeats: PROCESS_REPEATS },
    { label: `${TIMED_FUNCTIONS * LARGE_STACKS} functions in ${LARGE_STACKS} stacks, one shared bundle`, functions: TIMED_FUNCTIONS, stacks: LARGE_STACKS, distinctCode: false, repeats: 3 },
  ];
  const processes = timeProcesses(shapes);
  const [sharedShape, distinctShape, largeShape] = shapes.map((shape) => processes.get(shape)!);
  const ratioOf = (shape: typeof sharedShape, of: keyof ProcessTimes) => medianRatio(shape.secure, shape.plain, of);
  const synthRatio = Math.max(ratioOf(sharedShape, 'wallMs'), ratioOf(distinctShape, 'wallMs'));
  const inProcessRatio = Math.max(ratioOf(sharedShape, 'synthMs'), ratioOf(distinctShape, 'synthMs'));
  const largeRatio = ratioOf(largeShape, 'wallMs');
  const processGuardRatio = medianRatio(sharedShape.guarded, sharedShape.secure, 'wallMs');

  const warm: WarmRun[] = [];
  for (let i = 0; i < REPEATS; i++) {
    warm.push(warmRun(TIMED_FUNCTIONS));
  }
  const plainOf = (r: WarmRun) => (r.plainBefore + r.plainAfter) / 2;
  const times = {
    plain: warm.map(plainOf),
    secure: warm.map((r) => r.secure),
    guarded: warm.map((r) => r.guarded),
    plainDistinct: warm.map((r) => r.plainDistinct),
    secureDistinct: warm.map((r) => r.secureDistinct),
  };
  const secureRatio = median(warm.map((r) => r.secure / plainOf(r)));
  const distinctRatio = median(warm.map((r) => r.secureDistinct / r.plainDistinct));
  const guardRatio = median(warm.map((r) => r.guarded / r.secure));
  const resourceRatio = count(tN) / plainResources;
  const runs = (values: number[]) => `${median(values).toFixed(0)} ms | ${values.map((t) => t.toFixed(0)).join(', ')}`;
  const ms = (values: ProcessTimes[], of: keyof ProcessTimes) => `${median(values.map((t) => t[of])).toFixed(0)} ms`;
  const percent = (ratio: number) => `${((ratio - 1) * 100).toFixed(0)}%`;

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
    `**\`cdk synth\`**, the measure the targets use: one process per app, as \`cdk synth\` runs a TypeScript app (node, ts-node, the library loaded from its compiled \`lib/\` as an installed package is), plain and secure apps interleaved, ${PROCESS_REPEATS} repeats (3 for the large app). The wall time is what a developer waits for: process start, module loading, construction, synthesis, writing the cloud assembly, and CDK's CloudFormation validation, which starts a WASM engine in every process. **Construction and synthesis** is the part of the same processes from \`new App()\` to the end of \`app.synth()\`, without process start and imports. Ratios are medians of per-repeat ratios.`,
    '',
    '| App | Plain, wall | SecureFunctions, wall | Ratio | Plain, construction and synthesis | SecureFunctions, construction and synthesis | Ratio |',
    '|---|---|---|---|---|---|---|',
    ...shapes.map((shape) => {
      const t = processes.get(shape)!;
      return `| ${shape.label} | ${ms(t.plain, 'wallMs')} | ${ms(t.secure, 'wallMs')} | ${ratioOf(t, 'wallMs').toFixed(2)}x | ${ms(t.plain, 'synthMs')} | ${ms(t.secure, 'synthMs')} | ${ratioOf(t, 'synthMs').toFixed(2)}x |`;
    }),
    '',
    `LambdaRulesAspect on the ${TIMED_FUNCTIONS} SecureFunctions: ${ms(sharedShape.guarded, 'wallMs')} wall, **${percent(processGuardRatio)}** over the same app without it.`,
    '',
    '**Steady state**, a diagnostic: what each construct costs once a process is warm. Each repeat is a fresh process that builds and synthesizes every app twice untimed, then times each once (the plain app before and after the others), construction and `app.synth()` only. A fresh process per repeat, because CDK\'s token map is global and keeps every token of every app a process ever built, so one long-lived process would time the garbage collector more with every app.',
    '',
    '| App | Median | Runs |',
    '|---|---|---|',
    `| ${TIMED_FUNCTIONS} plain lambda.Functions, one shared bundle | ${runs(times.plain)} |`,
    `| ${TIMED_FUNCTIONS} SecureFunctions, one shared bundle | ${runs(times.secure)} |`,
    `| ${TIMED_FUNCTIONS} SecureFunctions + LambdaRulesAspect | ${runs(times.guarded)} |`,
    `| ${TIMED_FUNCTIONS} plain lambda.Functions, a code package each | ${runs(times.plainDistinct)} |`,
    `| ${TIMED_FUNCTIONS} SecureFunctions, a code package each | ${runs(times.secureDistinct)} |`,
    '',
    `SecureFunction / plain in steady state: **${secureRatio.toFixed(2)}x** with one shared bundle, **${distinctRatio.toFixed(2)}x** with a package each; LambdaRulesAspect adds **${percent(guardRatio)}**. This ratio follows the resource count: the SecureFunction stack has ${resourceRatio.toFixed(1)} times the resources of the plain one (each function's role and customer-managed policy, security group, log group, dead-letter queue and its TLS-only policy, version, alias and five alarms, against a function and a role), and CDK resolves, validates and writes every resource. Per resource, the SecureFunction stack takes **${(secureRatio / resourceRatio).toFixed(2)}x** the time of the plain one. It is the bound that very large apps approach once the process is warm: at ${TIMED_FUNCTIONS * LARGE_STACKS} functions in ${LARGE_STACKS} stacks \`cdk synth\` takes ${largeRatio.toFixed(2)}x.`,
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
    `| synthesis (\`cdk synth\`) of ${TIMED_FUNCTIONS} SecureFunctions at most 6x ${TIMED_FUNCTIONS} plain functions (the worse of one shared bundle and a package each) | ${synthRatio.toFixed(2)}x | ${check(synthRatio <= 6)} |`,
    `| the same, construction and synthesis only | ${inProcessRatio.toFixed(2)}x | ${check(inProcessRatio <= 6)} |`,
    `| the same, ${TIMED_FUNCTIONS * LARGE_STACKS} functions in ${LARGE_STACKS} stacks | ${largeRatio.toFixed(2)}x | ${check(largeRatio <= 6)} |`,
    `| LambdaRulesAspect adds at most 30% (\`cdk synth\`; steady state) | ${percent(processGuardRatio)}; ${percent(guardRatio)} | ${check(processGuardRatio <= 1.3 && guardRatio <= 1.3)} |`,
    '',
    `Not a target: the steady-state ratio, ${Math.max(secureRatio, distinctRatio).toFixed(2)}x at worst (${(secureRatio / resourceRatio).toFixed(2)}x per resource), see above.`,
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
