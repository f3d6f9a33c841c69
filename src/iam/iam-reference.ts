import { IAM_REFERENCE } from './iam-reference.generated';

// AWS's Service Authorization Reference as the library reads it (iam-reference.generated.ts):
// each service's actions, the resource types each action takes, and their ARN formats, with
// matching of ARNs against those formats.

// A compiled pattern is a lower-case string in which these characters stand for wildcards.
const ANY = '\u0001'; // any string
const SEGMENT = '\u0002'; // any string without '/' or ':'
const ONE = '\u0003'; // any one character

/**
 * ARN variables whose values can contain neither '/' nor ':' by the service's naming rules,
 * as `<service in the ARN>:<variable>`, besides the partition, region and account of every
 * ARN. Every other variable matches anything. So an S3 object ARN (`bucket/key`) is not taken
 * for a bucket ARN, nor a DynamoDB index ARN for a table ARN.
 */
const SEGMENT_VARIABLES = new Set([
  's3:BucketName', // bucket names: a-z, 0-9, '.', '-'
  'dynamodb:TableName', // a-z, A-Z, 0-9, '_', '-', '.'
  'kinesis:StreamName', // a-z, A-Z, 0-9, '_', '-', '.'
  'firehose:DeliveryStreamName', // a-z, A-Z, 0-9, '_', '-', '.'
  'sqs:QueueName', // a-z, A-Z, 0-9, '-', '_' (and '.fifo')
  'sns:TopicName', // a-z, A-Z, 0-9, '-', '_' (and '.fifo')
]);

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface ServiceReference {
  /** By lower-case action name. */
  readonly actions: ReadonlyMap<string, ActionReference>;
  /** Compiled ARN format of each resource type. */
  readonly formats: readonly string[];
}

export interface ActionReference {
  readonly name: string;
  /** Indexes into `formats`; empty: the action has no resource-level permission (only `*`). */
  readonly types: readonly number[];
}


const services = new Map<string, ServiceReference | undefined>();

export function serviceReference(prefix: string): ServiceReference | undefined {
  const key = prefix.toLowerCase();
  if (!services.has(key)) {
    const encoded = Object.prototype.hasOwnProperty.call(IAM_REFERENCE, key) ? IAM_REFERENCE[key] : undefined;
    services.set(key, encoded === undefined ? undefined : decodeService(encoded));
  }
  return services.get(key);
}

/** Decodes one service of iam-reference.generated.ts (encoding: scripts/generate-iam-reference.ts). */
function decodeService(encoded: string): ServiceReference {
  const [types, actionList] = encoded.split('|');
  const formats = types ? types.split(';').map((entry) => compileFormat(entry.slice(entry.indexOf('=') + 1))) : [];
  const actions = new Map<string, ActionReference>();
  let previous = '';
  for (const entry of actionList ? actionList.split(';') : []) {
    const equals = entry.indexOf('=');
    const name = previous.slice(0, DIGITS.indexOf(entry[0])) + entry.slice(1, equals < 0 ? undefined : equals);
    previous = name;
    const indexes = equals < 0 ? [] : entry.slice(equals + 1).split('.').map((i) => parseInt(i, 36));
    actions.set(name.toLowerCase(), { name, types: indexes });
  }
  return { actions, formats };
}

function compileFormat(encoded: string): string {
  const arn = encoded.startsWith('!') ? encoded.slice(1) : `arn:{}:${encoded}`;
  const service = arn.split(':')[2];
  return arn
    .replace(/\{([^}]*)\}|\*/g, (_match, name?: string) =>
      (name === '' || (name && SEGMENT_VARIABLES.has(`${service}:${name}`)) ? SEGMENT : ANY))
    .toLowerCase();
}

/** A resource as written in a policy: `*` and `?` are wildcards. */
export function compileResource(resource: string): string {
  return resource.toLowerCase().replace(/\*/g, ANY).replace(/\?/g, ONE);
}

function isStar(c: string | undefined): boolean {
  return c === ANY || c === SEGMENT;
}

function starTakes(star: string, c: string): boolean {
  return star === ANY || (c !== '/' && c !== ':');
}

/** Whether some string matches both compiled patterns (reachability in their product automaton). */
export function intersects(a: string, b: string): boolean {
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const todo = [0];
  seen[0] = 1;
  const visit = (i: number, j: number) => {
    const k = i * width + j;
    if (!seen[k]) {
      seen[k] = 1;
      todo.push(k);
    }
  };
  while (todo.length > 0) {
    const k = todo.pop()!;
    const i = Math.floor(k / width);
    const j = k % width;
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    if (isStar(x)) {
      visit(i + 1, j);
      if (y !== undefined && !isStar(y) && starTakes(x, y)) visit(i, j + 1);
    }
    if (isStar(y)) {
      visit(i, j + 1);
      if (x !== undefined && !isStar(x) && starTakes(y, x)) visit(i + 1, j);
    }
    if (x !== undefined && y !== undefined && !isStar(x) && !isStar(y) && (x === y || x === ONE || y === ONE)) visit(i + 1, j + 1);
  }
  return false;
}

/**
 * Whether `action` (exact, `service:Name`) can be limited to resources: false for an action
 * AWS authorizes on `*` only, undefined for an action the reference does not know.
 */
export function hasResourceLevelPermission(action: string): boolean | undefined {
  const [prefix, name] = action.split(':');
  const reference = name === undefined ? undefined : serviceReference(prefix)?.actions.get(name.toLowerCase());
  return reference === undefined ? undefined : reference.types.length > 0;
}
