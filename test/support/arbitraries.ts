import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as fc from 'fast-check';
import { deprecationDate, newestInFamily } from '../../src/rules/data/runtimes';

/** Characters for generated token bodies. */
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = UPPER + UPPER.toLowerCase() + DIGITS;

/** A string of exactly `length` (or between min and max) characters drawn from `alphabet`. */
export function chars(alphabet: string, minLength: number, maxLength: number = minLength): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength, maxLength });
}

/**
 * The runtimes that are the newest of their family and not deprecated, as cdk-nag
 * sees them (AwsSolutions-L1): the only runtimes that may pass conformance.
 */
export const NEWEST_RUNTIMES: readonly lambda.Runtime[] = lambda.Runtime.ALL
  .filter((r) => newestInFamily(r) === r.name && !deprecationDate(r))
  .filter((r, i, all) => all.findIndex((o) => o.name === r.name) === i);

/** Deprecated runtimes: SecureFunction must refuse each. */
export const DEPRECATED_RUNTIMES: readonly lambda.Runtime[] = [
  lambda.Runtime.NODEJS_16_X, lambda.Runtime.NODEJS_18_X, lambda.Runtime.PYTHON_3_8, lambda.Runtime.JAVA_8,
  lambda.Runtime.GO_1_X, lambda.Runtime.DOTNET_6, lambda.Runtime.RUBY_2_7,
];

let assetDir: string | undefined;
/** Code for `runtime`: a tiny .zip asset (signed at deploy time, whatever the runtime). */
export function codeFor(_runtime: lambda.Runtime): lambda.Code {
  if (!assetDir) {
    assetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-function-asset-'));
    fs.writeFileSync(path.join(assetDir, 'handler.txt'), 'placeholder');
  }
  return lambda.Code.fromAsset(assetDir);
}

/** Innocent words: no secret-like name can be built from them. */
const SAFE_WORDS = ['TABLE', 'LOG', 'LEVEL', 'REGION_HINT', 'FEATURE', 'MODE', 'BUCKET', 'QUEUE'];
/** Innocent values: none is secret-shaped. */
export const SAFE_VALUES = ['INFO', 'orders', 'true', '42', 'eu-west-1'];

/** An innocent environment variable name, e.g. LOG_LEVEL (matches /^[A-Z][A-Z0-9_]{1,20}$/). */
export const safeEnvName: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...SAFE_WORDS), { minLength: 1, maxLength: 3 })
  .map((words) => words.join('_'))
  .filter((name) => /^[A-Z][A-Z0-9_]{1,20}$/.test(name));

/** 0-4 innocent variables with unique names. */
export const safeEnvironment: fc.Arbitrary<Record<string, string>> = fc
  .uniqueArray(fc.tuple(safeEnvName, fc.constantFrom(...SAFE_VALUES)), { maxLength: 4, selector: ([name]) => name })
  .map((entries) => Object.fromEntries(entries));

/** Keys for secrets and parameters: disjoint from safeEnvName (which never starts with REF_) and from each other. */
export const secretKeys = fc.uniqueArray(fc.constantFrom(...SAFE_WORDS).map((w) => `REF_SECRET_${w}`), { maxLength: 2 });
export const parameterKeys = fc.uniqueArray(fc.constantFrom(...SAFE_WORDS).map((w) => `REF_PARAM_${w}`), { maxLength: 2 });

/** A valid prop combination, as plain data (secrets and parameters are built from the keys). */
export interface ValidCombo {
  readonly runtime: lambda.Runtime;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrentExecutions: number;
  readonly environment: Record<string, string>;
  readonly secretKeys: string[];
  readonly parameterKeys: string[];
  readonly userVpc: boolean;
}

export const validCombo: fc.Arbitrary<ValidCombo> = fc.record({
  runtime: fc.constantFrom(...NEWEST_RUNTIMES),
  memorySize: fc.integer({ min: 128, max: 10240 }),
  timeoutSeconds: fc.integer({ min: 1, max: 900 }),
  reservedConcurrentExecutions: fc.integer({ min: 1, max: 50 }),
  environment: safeEnvironment,
  secretKeys,
  parameterKeys,
  userVpc: fc.boolean(),
});

/** Renders a combination for failure messages. */
export function describeCombo(c: ValidCombo): string {
  return JSON.stringify({ ...c, runtime: c.runtime.name });
}

/** Literal secrets recognised by their value shape (built by concatenation, never written out). */
export const secretShapedValue: fc.Arbitrary<string> = fc.oneof(
  chars(UPPER + DIGITS, 16).map((s) => 'AK' + 'IA' + s),
  chars(ALNUM + '/+', 36).map((s) => 'Ab1/' + s),
  fc.tuple(fc.constantFrom('p', 'o', 'u', 's', 'r'), chars(ALNUM, 36)).map(([k, s]) => 'gh' + k + '_' + s),
  fc.tuple(chars(DIGITS, 10, 13), chars(DIGITS, 10, 13), chars(ALNUM, 24)).map(([a, b, c]) => 'xo' + 'x' + 'b-' + a + '-' + b + '-' + c),
  fc.tuple(fc.constantFrom('live', 'test'), chars(ALNUM, 24)).map(([mode, s]) => 's' + 'k_' + mode + '_' + s),
  fc.tuple(chars(ALNUM + '-_', 7, 30), chars(ALNUM + '-_', 2, 40), chars(ALNUM + '-_', 2, 40)).map(([h, p, s]) => 'ey' + 'J' + h + '.' + p + '.' + s),
  fc.tuple(fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', ''), chars(ALNUM + '+/', 20, 64)).map(([kind, body]) => {
    const label = `${kind}PRIV` + 'ATE KEY';
    return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
  }),
);

/** Names that say "secret", with a literal value that is no reference, number or boolean. */
export const secretByName = fc.tuple(
  fc.constantFrom('DB_PASSWORD', 'API_KEY', 'CLIENT_SECRET', 'AUTH_TOKEN', 'PRIVATE_KEY', 'dbPassword', 'STRIPE_API_KEY'),
  chars(ALNUM + '$!%#', 4, 20).map((s) => 'x' + s),
);

/** Environment variable names Lambda refuses. */
export const invalidEnvName: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...DIGITS.split('')), safeEnvName).map(([d, n]) => d + n),
  fc.tuple(safeEnvName, safeEnvName).map(([a, b]) => `${a}-${b}`),
  fc.constantFrom(...UPPER.split('')),
  fc.constantFrom('_HANDLER', 'AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_DEFAULT_REGION', 'LAMBDA_TASK_ROOT', '_X_AMZN_TRACE_ID'),
);

/** Timeouts Lambda refuses: 0, over 15 minutes, fractional seconds. */
export const invalidTimeout: fc.Arbitrary<Duration> = fc.oneof(
  fc.constant(Duration.seconds(0)),
  fc.integer({ min: 901, max: 100_000 }).map((s) => Duration.seconds(s)),
  fc.integer({ min: 16, max: 1_000 }).map((m) => Duration.minutes(m)),
  fc.integer({ min: 1, max: 900_000 }).filter((ms) => ms % 1000 !== 0).map((ms) => Duration.millis(ms)),
);
