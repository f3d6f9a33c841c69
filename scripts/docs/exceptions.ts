// The tables of docs/exceptions.md, read from what the library writes: every
// acknowledgment it makes (`Validations.of(x).acknowledge`) and every scanner
// check it skips (checkov's and cfn-lint's metadata), in every configuration
// the conformance suite tests: its scenarios and its integrations.
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SecurityBaseline } from '../../src/baseline/security-baseline';
import { CFN_LINT_REASONS } from '../../src/cfn/scanner-skips';
import { SecureFunction } from '../../src/secure-function';
import { TEST_OWNED } from '../../test/support/conformance';
import { FUNCTION_KINDS } from '../../test/support/integration-suite';
import { INTEGRATIONS } from '../../test/support/integrations';
import { SCENARIOS } from '../../test/support/scenarios';

/** One exception the library makes: which checks, on what, and why. */
export interface ExceptionRow {
  /** The checks excepted, each as `<suite>: <id>`. */
  readonly checks: string[];
  /** Where: the construct path below the stack, with the app's own names replaced by what they are. */
  readonly on: string;
  readonly why: string;
}

/** The acknowledgments and scanner skips of the tested configurations. */
export interface Exceptions {
  readonly acknowledged: ExceptionRow[];
  readonly skipped: ExceptionRow[];
}

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

/** Who judges a check, by the namespace CDK's acknowledgments give it. */
const SUITES: Record<string, string> = {
  'Annotation': 'catalog',
  'AwsSolutions': 'cdk-nag',
  'HIPAA.Security': 'cdk-nag',
  'NIST.800.53.R5': 'cdk-nag',
  'PCI.DSS.321': 'cdk-nag',
  'Serverless': 'cdk-nag',
  'cdk-validator-cfnguard': 'Control Tower',
  'CloudFormation-Validate': 'CloudFormation validation',
};

/** Logical ids of one app, without the hash CDK appends: `<Bucket1A2B3C4D.Arn>` is `<Bucket.Arn>`. */
function withoutHashes(text: string): string {
  return text.replace(/<([A-Za-z0-9]+?)[0-9A-F]{8}(\.[A-Za-z]+)?>/g, '<$1$2>');
}

/** A check as a reader looks it up: the suite, and the id without the logical ids and literals of one app. */
function checkOf(namespacedId: string): string {
  const [namespace, id] = namespacedId.includes('::') ? namespacedId.split(/::(.*)/s) : ['Annotation', namespacedId];
  const general = withoutHashes(id)
    .replace(/<[A-Za-z0-9]+\.Arn>/g, '<resource ARN>')
    .replace(new RegExp(ACCOUNT, 'g'), '<AWS::AccountId>')
    .replace(new RegExp(REGION, 'g'), '<AWS::Region>');
  return `${SUITES[namespace] ?? namespace}: \`${general}\``;
}

/** A construct path segment, or `…` where it carries a hash or names of one app. */
function generalSegment(segment: string): string {
  if (segment.startsWith('Custom::')) {
    return segment;
  }
  if (/[0-9A-F]{8}|[0-9a-f]{32}|[+=.:]|^[A-Za-z0-9-]{40,}$/.test(segment)) {
    const name = /^([A-Z][A-Za-z]+?)[0-9a-f]{32}$/.exec(segment)?.[1] ?? /^([A-Z][A-Za-z]+):/.exec(segment)?.[1];
    return name ? `${name}…` : '…';
  }
  return segment;
}

/** Where an exception is made: who owns it, the CloudFormation type, the path below the owner. */
interface Place {
  readonly owner: string;
  readonly type: string;
  readonly below: string[];
}

/** The place of a construct: its owner named by kind (a SecureFunction, SecurityBaseline, the app, a CDK provider). */
function placeOf(construct: IConstruct): Place {
  const stack = Stack.of(construct);
  const trail: IConstruct[] = [];
  for (let c: IConstruct | undefined = construct; c && c !== stack; c = c.node.scope) {
    trail.unshift(c);
  }
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  const type = CfnResource.isCfnResource(resource) ? resource.cfnResourceType : '';
  if (trail.length === 0) {
    return { owner: 'the stack', type, below: [] };
  }
  const [top, ...rest] = trail;
  const owner = top instanceof SecureFunction ? 'a SecureFunction'
    : top instanceof SecurityBaseline ? 'SecurityBaseline'
      : top.node.id === TEST_OWNED ? 'the app'
        : generalSegment(top.node.id);
  return { owner, type, below: rest.map((c) => c.node.id).filter((id) => id !== 'Resource') };
}

/** The place as the table shows it; segments that differ between the places it stands for are `…`. */
function describePlace(places: readonly Place[]): string {
  const [first] = places;
  if (first.owner === 'the app') {
    return `the app's ${first.type}`;
  }
  const below = first.below.map((segment, i) =>
    (places.every((p) => p.below[i] === segment) ? generalSegment(segment) : '…'));
  const where = [first.owner, ...below].join('/');
  return first.type ? `${where} (${first.type})` : where;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Found {
  readonly kind: 'acknowledged' | 'skipped';
  readonly check: string;
  readonly place: Place;
  readonly why: string;
}

/** Entries merged by a key; the first reason of each key stands for it. */
function mergeBy<T extends { places: Place[] }>(entries: Iterable<T>, key: (entry: T) => string): T[] {
  const merged = new Map<string, T>();
  for (const entry of entries) {
    const k = key(entry);
    const known = merged.get(k);
    merged.set(k, known ? { ...known, places: [...known.places, ...entry.places] } : entry);
  }
  return [...merged.values()];
}

/**
 * The rows of a table. A check at one place counts once (its first reason
 * stands for it; the app's own resources count by type), the same check for
 * the same reason at places that differ only by the app's names is one row,
 * and a row lists every check excepted at that place for that reason.
 */
function grouped(found: readonly Found[]): ExceptionRow[] {
  const owned = (p: Place) => [p.owner, p.type, p.owner === 'the app' ? '' : p.below.map(generalSegment).join('/')].join('\n');
  const atPlace = mergeBy(found.map(({ check, place, why }) => ({ check, why, places: [place] })), (e) => `${e.check}\n${owned(e.places[0])}`)
    .map((e) => ({ ...e, places: [e.places[0]] }));
  const sameReason = mergeBy(atPlace, (e) => [e.check, e.places[0].owner, e.places[0].type, e.why].join('\n'));
  const rows = new Map<string, { checks: string[]; on: string; why: string }>();
  for (const { check, places, why } of sameReason) {
    const on = describePlace(places);
    const row = rows.get(`${on}\n${why}`) ?? { checks: [], on, why };
    row.checks.push(check);
    rows.set(`${on}\n${why}`, row);
  }
  return [...rows.values()]
    .map((r) => ({ ...r, checks: r.checks.sort(byText) }))
    .sort((a, b) => byText(a.on, b.on) || byText(a.checks[0], b.checks[0]));
}

/** The exceptions made in one synthesized app. */
export function exceptionsOf(app: App): Found[] {
  const found: Found[] = [];
  // Synthesis first: Aspects acknowledge too, while the app is prepared.
  const assembly = app.synth();
  const constructs = app.node.findAll();
  const byPath = new Map(constructs.map((c) => [c.node.path, c]));
  for (const construct of constructs) {
    for (const entry of construct.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
        for (const [id, why] of Object.entries(entry.data as Record<string, string>)) {
          found.push({ kind: 'acknowledged', check: checkOf(id.replace(/^annotation::/i, 'Annotation::')), place: placeOf(construct), why: withoutHashes(why) });
        }
      }
    }
  }
  for (const stack of assembly.stacksRecursively) {
    for (const resource of Object.values<any>(stack.template.Resources ?? {})) {
      const metadata = resource.Metadata ?? {};
      const construct = byPath.get(metadata['aws:cdk:path']);
      if (!construct) {
        continue;
      }
      const place = placeOf(construct);
      for (const skip of metadata.checkov?.skip ?? []) {
        found.push({ kind: 'skipped', check: `checkov: \`${skip.id}\``, place, why: withoutHashes(skip.comment) });
      }
      for (const id of metadata['cfn-lint']?.config?.ignore_checks ?? []) {
        found.push({ kind: 'skipped', check: `cfn-lint: \`${id}\``, place, why: withoutHashes(metadata[CFN_LINT_REASONS]?.[id] ?? '') });
      }
    }
  }
  return found;
}

/**
 * Every exception of the tested configurations: each conformance scenario and
 * each integration with a SecureFunction, in an environment-agnostic stack and
 * in one with an account and region.
 */
export function collectExceptions(): Exceptions {
  const builds = [
    ...Object.values(SCENARIOS),
    ...Object.values(INTEGRATIONS).map((integrate) => (stack: Stack) => integrate(stack, FUNCTION_KINDS['a SecureFunction'](stack))),
  ];
  const entries = builds.flatMap((build) => [undefined, { account: ACCOUNT, region: REGION }].flatMap((env) => {
    const app = new App({ outdir: path.join(os.tmpdir(), 'exceptions-cdk.out'), context: { 'aws:cdk:enable-path-metadata': true } });
    build(new Stack(app, 'Stack', { env }));
    return exceptionsOf(app);
  }));
  return {
    acknowledged: grouped(entries.filter((e) => e.kind === 'acknowledged')),
    skipped: grouped(entries.filter((e) => e.kind === 'skipped')),
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** A table of rows: the checks, where, why. */
export function renderExceptions(rows: readonly ExceptionRow[]): string {
  return [
    '| Check | On | Why |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.checks.map(cell).join('<br>')} | ${cell(r.on)} | ${cell(r.why)} |`),
  ].join('\n');
}
