import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { EnforcementMode, LambdaRulesAspect } from '../../src';
import { ruleIdOfGuardName } from '../../src/guard/guard-dsl';
import { renderGuardRules } from '../../src/guard/rules-file';
import { CATALOG } from '../../src/rules/catalog';

/** The cfn-guard binary that ships inside @cdklabs/cdk-validator-cfnguard. */
export const CFN_GUARD = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'bin', 'ubuntu', 'x86_64', 'cfn-guard');

let rulesFile: string | undefined;

/** The catalog's rules file as the generator renders it (the committed file is checked equal elsewhere). */
export function guardRulesFile(): string {
  if (!rulesFile) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-rules-'));
    const file = path.join(dir, 'secure-function.guard');
    fs.writeFileSync(file, renderGuardRules(CATALOG));
    rulesFile = file;
  }
  return rulesFile;
}

/** A Guard failure: the catalog rule and the logical ids its failing clauses point at. */
export interface GuardFailure {
  readonly ruleId: string;
  readonly logicalIds: string[];
  readonly messages: string[];
}

/** A cfn-guard verdict on one template: its status and the catalog rules it failed. */
export interface GuardVerdict {
  readonly status: string;
  readonly failures: GuardFailure[];
}

/** Runs cfn-guard with `rules` (default: the catalog's file) on one template. */
export function runGuard(template: unknown, rules: string = guardRulesFile()): GuardVerdict {
  return runGuardOnMany([template], rules)[0];
}

/**
 * Runs cfn-guard once on many templates (one process, the rules parsed once)
 * and returns each template's verdict, in order.
 */
export function runGuardOnMany(templates: unknown[], rules: string = guardRulesFile()): GuardVerdict[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-data-'));
  const files = templates.map((template, i) => {
    const data = path.join(dir, `template-${i}.json`);
    fs.writeFileSync(data, JSON.stringify(template));
    return data;
  });
  try {
    const run = spawnSync(CFN_GUARD, ['validate', '-r', rules, ...files.flatMap((f) => ['-d', f]), '-o', 'json', '--show-summary', 'none'], {
      encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    });
    // 0: pass, 19: a rule failed; anything else is a broken rules file or input.
    if (run.status !== 0 && run.status !== 19) {
      throw new Error(`cfn-guard exited ${run.status}: ${run.stderr}${run.stdout}`);
    }
    const byFile = new Map<string, GuardVerdict>();
    for (const report of parseReports(run.stdout)) {
      byFile.set(report.name, {
        status: report.status,
        failures: (report.not_compliant ?? []).map((entry) => ({
          ruleId: ruleIdOfGuardName(entry.Rule.name),
          logicalIds: [...new Set(collect(entry.Rule.checks, 'path').map(logicalIdOf).filter((id): id is string => id !== undefined))].sort(),
          messages: [...new Set(collect(entry.Rule.checks, 'custom_message').map((m) => m.replace(/^[;\s]+|[;\s]+$/g, '')).filter((m) => m.length > 0))],
        })),
      });
    }
    return files.map((file) => {
      const verdict = byFile.get(file);
      if (!verdict) throw new Error(`cfn-guard said nothing of ${file}`);
      return verdict;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The catalog rules cfn-guard fails on each of `templates` (one process for them all), in order. */
export function guardFailuresOf(templates: unknown[]): GuardFailure[][] {
  return templates.length === 0 ? [] : runGuardOnMany(templates).map((verdict) => verdict.failures);
}

type GuardReport = { name: string; status: string; not_compliant?: Array<{ Rule: { name: string; checks: unknown[] } }> };

/** cfn-guard writes one JSON object per data file, one after the other. */
function parseReports(output: string): GuardReport[] {
  const reports: GuardReport[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < output.length; i++) {
    const c = output[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) {
      reports.push(JSON.parse(output.slice(start, i + 1)));
    }
  }
  return reports;
}

function collect(value: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((v) => collect(v, key, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === 'string') {
        out.push(v);
      } else {
        collect(v, key, out);
      }
    }
  }
  return out;
}

function logicalIdOf(pointer: string): string | undefined {
  return /^\/Resources\/([^/\[]+)/.exec(pointer)?.[1];
}

/** The verdicts of both engines on one app, per stack and per catalog rule. */
export interface Verdicts {
  /** Rule ids the Aspect reported (unacknowledged violations), per stack artifact id. */
  readonly aspect: Record<string, string[]>;
  /** Rule ids cfn-guard failed, per stack artifact id. */
  readonly guard: Record<string, string[]>;
  /** Guard failures in detail, per stack artifact id. */
  readonly guardFailures: Record<string, GuardFailure[]>;
  /** The synthesized templates, per stack artifact id. */
  readonly templates: Record<string, any>;
}

/**
 * Guards `app` with LambdaRulesAspect (WARN: every finding, nothing thrown),
 * synthesizes it, and runs the Guard rules file on every stack template.
 */
export function verdicts(app: App): Verdicts {
  const guard = LambdaRulesAspect.applyTo(app, { mode: EnforcementMode.WARN });
  const assembly = app.synth();
  const stacks = [...app.node.findAll()].filter((c): c is Stack => Stack.isStack(c));
  const aspect: Record<string, string[]> = {};
  const guardIds: Record<string, string[]> = {};
  const guardFailures: Record<string, GuardFailure[]> = {};
  const templates: Record<string, any> = {};
  for (const stack of stacks) {
    const stage = Stage.of(stack)!;
    const artifact = (stage === app ? assembly : stage.synth()).getStackArtifact(stack.artifactId);
    templates[stack.artifactId] = artifact.template;
    const result = runGuard(artifact.template);
    guardFailures[stack.artifactId] = result.failures;
    guardIds[stack.artifactId] = [...new Set(result.failures.map((f) => f.ruleId))].sort();
    aspect[stack.artifactId] = [...new Set(guard.findings.filter((f) => stackOfPath(app, f.resourcePath) === stack).map((f) => f.ruleId))].sort();
  }
  return { aspect, guard: guardIds, guardFailures, templates };
}

function stackOfPath(app: App, constructPath: string): Stack | undefined {
  const node = app.node.findAll().find((c: IConstruct) => c.node.path === constructPath);
  return node && CfnResource.isCfnResource(node) ? Stack.of(node) : node ? Stack.of(node) : undefined;
}

/**
 * The verdict of both engines for one rule in one stack: whether each reports
 * it. `expect(agree(app, id)).toEqual({ aspect: true, guard: true })`.
 */
export function verdictOf(app: App, ruleId: string, stackId?: string): { aspect: boolean; guard: boolean } {
  const v = verdicts(app);
  const id = stackId ?? Object.keys(v.templates)[0];
  return { aspect: v.aspect[id].includes(ruleId), guard: v.guard[id].includes(ruleId) };
}

/** A new app with one stack, `Stack`: the unit each Guard case synthesizes. */
export function stackIn(): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, 'Stack') };
}

/** A plain lambda.Function (CDK defaults, inline code), with whatever props the case sets. */
export function plainL2(stack: Stack, id = 'Fn', props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
}
