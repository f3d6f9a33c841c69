// The two synthesis-time measures of the benchmark, each interleaving plain and secure apps.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SynthSpec } from './synth-spec';

const TS_NODE = { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', '..', 'tsconfig.dev.json') };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The times of one repeat of the steady-state measure, in a fresh warmed process (see warm-synth.ts). */
export interface WarmRun {
  readonly plainBefore: number;
  readonly secure: number;
  readonly guarded: number;
  readonly plainAfter: number;
  readonly plainDistinct: number;
  readonly secureDistinct: number;
}

export function warmRun(n: number): WarmRun {
  const run = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'warm-synth.ts'), String(n)], {
    env: TS_NODE,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`warm-synth ${n} failed: ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as WarmRun;
}

/** One `cdk synth`-like process: its wall time, and the time it spent constructing and synthesizing. */
export interface ProcessTimes {
  readonly wallMs: number;
  readonly synthMs: number;
}

export function timedProcess(spec: Omit<SynthSpec, 'outdir'>): ProcessTimes {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${spec.kind}-`));
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'synth-app.ts'), JSON.stringify({ ...spec, outdir })], {
    env: TS_NODE,
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (run.status !== 0) {
    throw new Error(`synth-app ${JSON.stringify(spec)} failed: ${run.stderr}`);
  }
  return { wallMs, synthMs: (JSON.parse(run.stdout) as { synthMs: number }).synthMs };
}

/** One app shape of the `cdk synth`-like measure, timed plain and secure (and guarded) in turn. */
export interface ProcessCase {
  readonly label: string;
  readonly functions: number;
  readonly stacks: number;
  readonly distinctCode: boolean;
  /** Also time the app under LambdaRulesAspect. */
  readonly guarded?: boolean;
  readonly repeats: number;
}

export interface ProcessCaseTimes {
  plain: ProcessTimes[];
  secure: ProcessTimes[];
  guarded: ProcessTimes[];
}

/** Runs every case, interleaving plain and secure processes within each repeat. */
export function timeProcesses(cases: ProcessCase[]): Map<ProcessCase, ProcessCaseTimes> {
  const result = new Map<ProcessCase, ProcessCaseTimes>(cases.map((c) => [c, { plain: [], secure: [], guarded: [] }]));
  const rounds = Math.max(...cases.map((c) => c.repeats));
  for (let i = 0; i < rounds; i++) {
    for (const c of cases.filter((x) => i < x.repeats)) {
      const shape = { functions: c.functions, stacks: c.stacks, distinctCode: c.distinctCode };
      const times = result.get(c)!;
      times.plain.push(timedProcess({ kind: 'plain', ...shape }));
      times.secure.push(timedProcess({ kind: 'secure', ...shape }));
      if (c.guarded) {
        times.guarded.push(timedProcess({ kind: 'guarded', ...shape }));
      }
    }
  }
  return result;
}

/** Median of per-repeat ratios of `of` (repeat i of a against repeat i of b). */
export function medianRatio(a: ProcessTimes[], b: ProcessTimes[], of: keyof ProcessTimes): number {
  return median(a.map((t, i) => t[of] / b[i][of]));
}
