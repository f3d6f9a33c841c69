// One app, synthesized in its own process the way `cdk synth` runs it (ts-node, the
// library loaded from its compiled lib/ as an installed package would be):
//   node -r ts-node/register/transpile-only scripts/bench/synth-app.ts '<SynthSpec as JSON>'
// Prints the time of construction and synthesis in this process, as JSON; the caller
// times the whole process.
import * as path from 'path';
import { Library, plainApp, secureApp } from './apps';
import type { SynthSpec } from './synth-spec';

const spec = JSON.parse(process.argv[2]) as SynthSpec;
// A plain app never loads this library: requiring it is part of what SecureFunction costs,
// but it is module loading, so it happens before the clock starts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = spec.kind === 'plain' ? undefined : require(path.join(__dirname, '..', '..', 'lib')) as Library;
const options = { distinctCode: spec.distinctCode, stacks: spec.stacks, guard: spec.kind === 'guarded', outdir: spec.outdir };
const start = process.hrtime.bigint();
(lib ? secureApp(lib, spec.functions, options) : plainApp(spec.functions, options)).synth();
process.stdout.write(JSON.stringify({ synthMs: Number(process.hrtime.bigint() - start) / 1e6 }));
