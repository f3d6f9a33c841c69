// A synthesized CloudFormation template as it would be once deployed in a
// fixed environment: every intrinsic resolved to a concrete value, so that
// policies can be fed to an IAM policy simulator. Literal accounts and regions
// in the template stay as they are; pseudo parameters and physical ids come
// from the environment given.
import { AttrValue, deterministicUuid, PhysicalContext, physicalValue } from './cfn-physical-ids';

/** The environment the template is taken to be deployed in. */
export interface DeployEnv {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
  /** AWS::URLSuffix; amazonaws.com (amazonaws.com.cn in aws-cn) when not given. */
  readonly urlSuffix?: string;
}

/** One resource of the template, its properties resolved. */
export interface ResolvedResource {
  readonly logicalId: string;
  readonly type: string;
  /** Fully resolved: no intrinsic left, AWS::NoValue removed. Resolved when first read. */
  readonly properties: any;
  /** The explicit DependsOn, as a list. */
  readonly dependsOn: string[];
  readonly condition?: string;
}

/** The parts of a template JSON (as `Template.fromStack(stack).toJSON()` gives) that the resolver reads. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [section: string]: unknown;
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly [key: string]: unknown;
}

/** What Ref AWS::NoValue gives: the key or list element holding it goes. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Thrown when working out a resource's physical ids needs those same ids. */
class NameCycle extends Error {}

type Json = Record<string, unknown>;

const isIntrinsic = (key: string): boolean => key === 'Ref' || key.startsWith('Fn::');
const text = (v: unknown): string => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));
const list = (v: unknown, fn: string): unknown[] => {
  if (!Array.isArray(v)) throw new Error(`${fn} expects a list, got ${JSON.stringify(v)}`);
  return v;
};

/** Fn::Cidr: `count` consecutive blocks of 2^cidrBits addresses from the start of ipBlock. */
function cidrs(ipBlock: string, count: number, cidrBits: number): string[] {
  const [address] = ipBlock.split('/');
  if (address.includes(':')) {
    return Array.from({ length: count }, (_, i) => `${address.replace(/::.*$/, '')}:${i.toString(16)}::/${128 - cidrBits}`);
  }
  const base = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const ip = (n: number): string => [3, 2, 1, 0].map(s => Math.floor(n / 256 ** s) % 256).join('.');
  return Array.from({ length: count }, (_, i) => `${ip(base + i * 2 ** cidrBits)}/${32 - cidrBits}`);
}

/** A resource's physical-id context: its name-like properties, resolved once. */
class Physical implements PhysicalContext {
  /** Set when resolving a property went round a cycle: no property is read any more, names are generated. */
  public broken = false;
  private readonly props = new Map<string, unknown>();

  constructor(
    readonly logicalId: string,
    readonly type: string,
    readonly env: Required<DeployEnv>,
    private readonly raw: Json,
    private readonly resolveValue: (v: unknown) => unknown,
  ) {}

  prop(key: string): unknown {
    if (this.broken) return undefined;
    if (!this.props.has(key)) {
      const v = this.resolveValue(this.raw[key]);
      this.props.set(key, v === NO_VALUE ? undefined : v);
    }
    return this.props.get(key);
  }
}

/** A CloudFormation template resolved for one environment. Everything is worked out lazily and memoised. */
export class ResolvedTemplate {
  static of(template: CfnTemplate, env: DeployEnv): ResolvedTemplate {
    return new ResolvedTemplate(template, env);
  }

  readonly env: Required<DeployEnv>;
  private readonly raw: Record<string, CfnResourceJson>;
  private readonly pseudo: Record<string, unknown>;
  private readonly physicals = new Map<string, Physical>();
  private readonly physicalMemo = new Map<string, AttrValue>();
  private readonly inProgress = new Set<string>();
  private readonly conditions = new Map<string, boolean>();
  private readonly conditionsInProgress = new Set<string>();
  private resolvedResources?: Record<string, ResolvedResource>;

  private constructor(private readonly template: CfnTemplate, env: DeployEnv) {
    this.env = { ...env, urlSuffix: env.urlSuffix ?? (env.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com') };
    this.raw = template.Resources ?? {};
    const { account, region, partition, stackName, urlSuffix } = this.env;
    this.pseudo = {
      'AWS::AccountId': account,
      'AWS::Region': region,
      'AWS::Partition': partition,
      'AWS::URLSuffix': urlSuffix,
      'AWS::StackName': stackName,
      'AWS::StackId': `arn:${partition}:cloudformation:${region}:${account}:stack/${stackName}/${deterministicUuid(stackName)}`,
      'AWS::NotificationARNs': [],
      'AWS::NoValue': NO_VALUE,
    };
  }

  /** A top-level key of a resource other than Properties (UpdatePolicy, Metadata...), resolved. */
  section(logicalId: string, key: string): any {
    const value = this.raw[logicalId]?.[key];
    return value === undefined ? undefined : this.resolve(value);
  }

  /** Logical id to resource; resources whose Condition is false are left out. */
  get resources(): Record<string, ResolvedResource> {
    if (!this.resolvedResources) {
      const out: Record<string, ResolvedResource> = {};
      for (const [logicalId, raw] of Object.entries(this.raw)) {
        if (raw.Condition !== undefined && !this.conditionNamed(raw.Condition)) continue;
        out[logicalId] = this.lazyResource(logicalId, raw);
      }
      this.resolvedResources = out;
    }
    return this.resolvedResources;
  }

  /** The (not left out) resources of a type, in template order. */
  ofType(type: string): ResolvedResource[] {
    return Object.values(this.resources).filter(r => r.type === type);
  }

  /** What Ref gives for the resource. */
  ref(logicalId: string): string {
    return this.attValue(logicalId, undefined) as string;
  }

  /** What Fn::GetAtt gives for the resource; list-valued attributes (DnsEntries, Ipv6CidrBlocks...) are read with resolve(). */
  getAtt(logicalId: string, attribute: string): string {
    const v = this.attValue(logicalId, attribute);
    if (Array.isArray(v)) throw new Error(`${logicalId}.${attribute} is a list: use resolve({ 'Fn::GetAtt': [...] })`);
    return v;
  }

  /** Logical ids of the resources that `logicalId` refers to (Ref, Fn::GetAtt, Fn::Sub) anywhere in its Properties, before resolution. */
  references(logicalId: string): Set<string> {
    const out = new Set<string>();
    const add = (id: unknown): void => {
      if (typeof id === 'string' && Object.prototype.hasOwnProperty.call(this.raw, id)) out.add(id);
    };
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(visit);
      if (v === null || typeof v !== 'object') return;
      const entries = Object.entries(v);
      const [key, arg] = entries[0] ?? [];
      if (entries.length === 1 && key === 'Ref') add(arg);
      if (entries.length === 1 && key === 'Fn::GetAtt') add(typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) ? arg[0] : undefined);
      if (entries.length === 1 && key === 'Fn::Sub') {
        const [tpl, vars] = Array.isArray(arg) ? arg : [arg, {}];
        if (typeof tpl === 'string') {
          for (const [, body] of tpl.matchAll(/\$\{([^}]*)\}/g)) {
            if (!body.startsWith('!') && !Object.prototype.hasOwnProperty.call(vars ?? {}, body.trim())) add(body.trim().split('.')[0]);
          }
        }
      }
      entries.forEach(([, x]) => visit(x));
    };
    visit(this.known(logicalId).Properties);
    return out;
  }

  /** Resolves any value holding intrinsics in the context of this template (AWS::NoValue at the top gives undefined). */
  resolve(value: any): any {
    const v = this.resolveValue(value);
    return v === NO_VALUE ? undefined : v;
  }

  private known(logicalId: string): CfnResourceJson {
    const raw = Object.prototype.hasOwnProperty.call(this.raw, logicalId) ? this.raw[logicalId] : undefined;
    if (!raw) throw new Error(`No resource ${logicalId} in the template`);
    return raw;
  }

  private lazyResource(logicalId: string, raw: CfnResourceJson): ResolvedResource {
    const dependsOn = raw.DependsOn === undefined ? [] : ([] as string[]).concat(raw.DependsOn);
    const resource = { logicalId, type: raw.Type, dependsOn, ...(raw.Condition !== undefined ? { condition: raw.Condition } : {}) };
    let properties: unknown;
    Object.defineProperty(resource, 'properties', {
      enumerable: true,
      get: () => (properties ??= this.resolve(raw.Properties ?? {})),
    });
    return resource as ResolvedResource;
  }

  /** Ref (attribute undefined) or Fn::GetAtt from the per-type table; a cycle through name properties falls back to generated names. */
  private physical(logicalId: string, attribute: string | undefined): AttrValue {
    const key = `${logicalId}\0${attribute ?? ''}`;
    const memo = this.physicalMemo.get(key);
    if (memo !== undefined) return memo;
    const raw = this.known(logicalId);
    let ctx = this.physicals.get(logicalId);
    if (!ctx) {
      ctx = new Physical(logicalId, raw.Type, this.env, raw.Properties ?? {}, v => this.resolveValue(v));
      this.physicals.set(logicalId, ctx);
    }
    if (this.inProgress.has(logicalId)) throw new NameCycle(logicalId);
    this.inProgress.add(logicalId);
    let value: AttrValue;
    try {
      value = physicalValue(ctx, attribute);
    } catch (e) {
      if (!(e instanceof NameCycle) || ctx.broken) throw e;
      ctx.broken = true;
      value = physicalValue(ctx, attribute);
    } finally {
      this.inProgress.delete(logicalId);
    }
    this.physicalMemo.set(key, value);
    return value;
  }

  private resolveValue(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(x => this.resolveValue(x)).filter(x => x !== NO_VALUE);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    if (entries.length === 1 && isIntrinsic(entries[0][0])) return this.intrinsic(entries[0][0], entries[0][1]);
    const out: Json = {};
    for (const [k, x] of entries) {
      const r = this.resolveValue(x);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private intrinsic(fn: string, arg: unknown): unknown {
    const r = (x: unknown): unknown => this.resolveValue(x);
    const args = (): unknown[] => list(arg, fn);
    switch (fn) {
      case 'Ref': return this.refValue(String(r(arg)));
      case 'Fn::GetAtt': {
        if (typeof arg === 'string' && !arg.includes('.')) throw new Error(`Fn::GetAtt ${arg}: no attribute`);
        const [id, attribute] = typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : args().map(r);
        return this.attValue(String(id), String(attribute));
      }
      case 'Fn::Join': return list(r(args()[1]), fn).map(text).join(String(r(args()[0])));
      case 'Fn::Select': {
        const [index, from] = [Number(r(args()[0])), list(r(args()[1]), fn)];
        if (!(index >= 0 && index < from.length)) throw new Error(`Fn::Select index ${index} out of ${JSON.stringify(from)}`);
        return from[index];
      }
      case 'Fn::Split': return String(r(args()[1])).split(String(r(args()[0])));
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::If': return this.conditionNamed(String(args()[0])) ? r(args()[1]) : r(args()[2]);
      case 'Fn::Equals': case 'Fn::Not': case 'Fn::And': case 'Fn::Or': return this.condition({ [fn]: arg });
      case 'Fn::FindInMap': return this.findInMap(args());
      case 'Fn::GetAZs': {
        const region = String(r(arg) || this.env.region);
        return ['a', 'b', 'c'].map(z => `${region}${z}`);
      }
      case 'Fn::ImportValue': return `imported:${text(r(arg))}`;
      case 'Fn::Base64': return text(r(arg));
      case 'Fn::Cidr': return cidrs(String(r(args()[0])), Number(r(args()[1])), Number(r(args()[2])));
      case 'Fn::ToJsonString': return JSON.stringify(r(arg));
      case 'Fn::Length': return list(r(arg), fn).length;
      default: throw new Error(`Unsupported intrinsic ${fn}: ${JSON.stringify(arg)}`);
    }
  }

  private refValue(name: string): unknown {
    if (Object.prototype.hasOwnProperty.call(this.pseudo, name)) return this.pseudo[name];
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new Error(`Parameter ${name} has no Default`);
      const type = parameter.Type ?? 'String';
      const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
      return isList && typeof parameter.Default === 'string' ? parameter.Default.split(',') : parameter.Default;
    }
    return this.attValue(name, undefined);
  }

  private attValue(logicalId: string, attribute: string | undefined): AttrValue {
    this.known(logicalId);
    return this.physical(logicalId, attribute);
  }

  private sub(arg: unknown): string {
    const [tpl, vars] = Array.isArray(arg) ? [arg[0], (arg[1] ?? {}) as Json] : [arg, {} as Json];
    return String(this.resolveValue(tpl)).replace(/\$\{([^}]*)\}/g, (_match, body: string) => {
      if (body.startsWith('!')) return `\${${body.slice(1)}}`;
      const name = body.trim();
      if (Object.prototype.hasOwnProperty.call(vars, name)) return text(this.resolveValue(vars[name]));
      const dot = name.indexOf('.');
      return text(dot > 0 ? this.attValue(name.slice(0, dot), name.slice(dot + 1)) : this.refValue(name));
    });
  }

  private findInMap(args: unknown[]): unknown {
    const [map, top, second] = args.slice(0, 3).map(a => String(this.resolveValue(a)));
    const value = this.template.Mappings?.[map]?.[top]?.[second];
    if (value !== undefined) return this.resolveValue(value);
    const fallback = args[3] as Json | undefined;
    if (fallback && 'DefaultValue' in fallback) return this.resolveValue(fallback.DefaultValue);
    throw new Error(`Fn::FindInMap: no ${map}.${top}.${second}`);
  }

  private conditionNamed(name: string): boolean {
    const memo = this.conditions.get(name);
    if (memo !== undefined) return memo;
    const expr = this.template.Conditions?.[name];
    if (expr === undefined) throw new Error(`No condition ${name} in the template`);
    if (this.conditionsInProgress.has(name)) throw new Error(`Condition ${name} refers to itself`);
    this.conditionsInProgress.add(name);
    try {
      const value = this.condition(expr);
      this.conditions.set(name, value);
      return value;
    } finally {
      this.conditionsInProgress.delete(name);
    }
  }

  private condition(expr: unknown): boolean {
    if (typeof expr === 'boolean') return expr;
    if (expr === 'true' || expr === 'false') return expr === 'true';
    const entries = expr !== null && typeof expr === 'object' ? Object.entries(expr) : [];
    const [fn, arg] = entries.length === 1 ? entries[0] : ['', undefined];
    const args = (): unknown[] => list(arg, fn);
    switch (fn) {
      case 'Condition': return this.conditionNamed(String(arg));
      case 'Fn::Equals': return text(this.resolveValue(args()[0])) === text(this.resolveValue(args()[1]));
      case 'Fn::Not': return !this.condition(args()[0]);
      case 'Fn::And': return args().every(c => this.condition(c));
      case 'Fn::Or': return args().some(c => this.condition(c));
      default: {
        const v = this.resolveValue(expr);
        if (typeof v === 'boolean' || v === 'true' || v === 'false') return v === true || v === 'true';
        throw new Error(`Not a condition: ${JSON.stringify(expr)}`);
      }
    }
  }
}
