// One repeat of the in-process measure, in a fresh process: every app is built and
// synthesized untimed WARMUP times (the JIT settles), then timed once each, plain
// apps before and after, and the times are printed as JSON.
//   node --expose-gc -r ts-node/register/transpile-only scripts/bench/warm-synth.ts <n>
//
// A fresh process per repeat, because CDK's token map is global: it keeps every token
// of every app a process ever built (about 5 MB per app of 30 SecureFunctions), so the
// twentieth app in one process pays the garbage collector for the nineteen before it.
import { App } from 'aws-cdk-lib';
import { plainApp, secureApp } from './apps';
import { SecureFunction, LambdaRulesAspect } from '../../src';

const WARMUP = 2;
const n = Number(process.argv[2]);
const lib = { SecureFunction, LambdaRulesAspect };

const apps: Record<string, () => App> = {
  plain: () => plainApp(n),
  secure: () => secureApp(lib, n),
  guarded: () => secureApp(lib, n, { guard: true }),
  plainDistinct: () => plainApp(n, { distinctCode: true }),
  secureDistinct: () => secureApp(lib, n, { distinctCode: true }),
};

function timed(build: () => App): number {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.hrtime.bigint();
  build().synth();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

for (let i = 0; i < WARMUP; i++) {
  Object.values(apps).forEach(timed);
}
const result = {
  plainBefore: timed(apps.plain),
  secure: timed(apps.secure),
  guarded: timed(apps.guarded),
  plainAfter: timed(apps.plain),
  plainDistinct: timed(apps.plainDistinct),
  secureDistinct: timed(apps.secureDistinct),
};
process.stdout.write(JSON.stringify(result));
