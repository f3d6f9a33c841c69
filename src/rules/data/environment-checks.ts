/**
 * Synth-time checks for Lambda environment variables.
 *
 * Pure functions only (no CDK imports) so they can be unit-tested in isolation.
 * Callers are expected to skip unresolved tokens and only pass literal values.
 */

/** Why a variable was rejected: a short phrase used inside a larger error message. */
export interface EnvironmentFinding {
  /** Stable id of the check, e.g. 'secret-name', 'aws-access-key-id', 'reserved-name', 'invalid-name'. */
  readonly check: string;
  /**
   * Human description, e.g. "its value looks like an AWS access key id (AKIA…)".
   * Never includes the secret value itself; at most its first 4 characters followed by '…'.
   */
  readonly description: string;
}

/**
 * Lambda's reserved environment variable names, from the AWS docs
 * ("Defined runtime environment variables" > "Reserved environment variables").
 * Lambda rejects a function configuration that sets any of these.
 *
 * `TZ` is deliberately absent: older docs listed it as reserved, but the current
 * docs list it under "Unreserved environment variables" and Lambda accepts it.
 */
export const RESERVED_ENVIRONMENT_VARIABLES: readonly string[] = Object.freeze([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

const RESERVED = new Set(RESERVED_ENVIRONMENT_VARIABLES);

/**
 * Lambda's rule for keys: letters, digits and underscores, starting with a
 * letter, at least two characters (the CloudFormation schema of
 * AWS::Lambda::Function rejects one-character names).
 */
const VALID_NAME = /^[a-zA-Z]([a-zA-Z0-9_])+$/;

/**
 * Checks a variable NAME: it must not be reserved by the Lambda runtime and must
 * match Lambda's naming rule. The reserved check runs first so that `_HANDLER`
 * is reported as reserved rather than as badly formed.
 *
 * @returns undefined when the name is acceptable.
 */
export function checkEnvironmentName(name: string): EnvironmentFinding | undefined {
  if (RESERVED.has(name)) {
    return { check: 'reserved-name', description: 'its name is reserved by the Lambda runtime' };
  }
  if (name.length === 0) {
    return { check: 'invalid-name', description: 'its name is empty' };
  }
  if (!VALID_NAME.test(name)) {
    return {
      check: 'invalid-name',
      description: 'its name must start with a letter, be at least two characters long and contain only letters, digits and underscores',
    };
  }
  return undefined;
}

/** A recognisable secret format, detected from the value alone. */
interface ValueShape {
  readonly check: string;
  /** Phrase completing "its value ...". */
  readonly what: string;
  readonly pattern: RegExp;
  /** Extra condition on the matched text, for shapes a regex alone cannot pin down. */
  readonly accept?: (match: string) => boolean;
  /** Whether to append a 4-character preview of the match (only for well-known prefixes). */
  readonly preview: boolean;
}

/**
 * Value shapes, most specific first. Prefix-based shapes are searched anywhere in
 * the value (a token may be embedded, e.g. "Bearer <token>"); the generic AWS
 * secret access key shape must be the whole value to keep false positives low.
 */
export const VALUE_SHAPES: readonly ValueShape[] = [
  {
    check: 'private-key',
    what: 'contains a PEM-encoded private key',
    // RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... PRIVATE KEY (BLOCK); not CERTIFICATE or PUBLIC KEY.
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/,
    preview: false,
  },
  {
    check: 'aws-access-key-id',
    what: 'looks like an AWS access key id',
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/,
    preview: true,
  },
  {
    check: 'github-token',
    what: 'looks like a GitHub token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/,
    preview: true,
  },
  {
    check: 'slack-token',
    what: 'looks like a Slack token',
    pattern: /(?<![A-Za-z0-9])xox[bpars]-[A-Za-z0-9-]{10,}/,
    preview: true,
  },
  {
    check: 'slack-webhook',
    what: 'contains a Slack webhook URL',
    pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9_]+\/[A-Za-z0-9_]+\/[A-Za-z0-9_]+/,
    preview: false,
  },
  {
    check: 'stripe-secret-key',
    what: 'looks like a Stripe secret or restricted key',
    // Publishable keys (pk_live_/pk_test_) are meant to be public and are not matched.
    pattern: /(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/,
    preview: true,
  },
  {
    check: 'google-api-key',
    what: 'looks like a Google API key',
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/,
    preview: true,
  },
  {
    check: 'jwt',
    what: 'looks like a JSON Web Token',
    // header.payload.signature, base64url; the header is a JSON object, so it starts with "eyJ".
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{7,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}/,
    preview: true,
  },
  {
    check: 'url-credentials',
    what: 'contains a URL with an embedded password (scheme://user:password@host)',
    // Userinfo with a non-empty password; "user@host" and "host:port" do not match.
    pattern: /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@[^\s/?#@]+/,
    preview: false,
  },
  {
    check: 'aws-secret-access-key',
    what: 'looks like an AWS secret access key',
    pattern: /^[A-Za-z0-9/+=]{40}$/,
    // Real keys are random base64, so they practically always mix upper case,
    // lower case and digits. This excludes hex digests (git SHA-1) and words.
    accept: (match) => /[A-Z]/.test(match) && /[a-z]/.test(match) && /[0-9]/.test(match),
    preview: true,
  },
];

/** A word sequence in a variable name that suggests the value is a secret. */
interface SecretNameRule {
  /** Alternative word sequences, each matched against consecutive name words. */
  readonly phrases: readonly (readonly string[])[];
  /** Phrase completing "its name suggests ...". */
  readonly label: string;
}

/** Checked in order, so specific phrases ("client secret") win over generic ones ("secret"). */
export const SECRET_NAME_RULES: readonly SecretNameRule[] = [
  { label: 'a client secret', phrases: [['client', 'secret'], ['clientsecret']] },
  { label: 'a connection string', phrases: [['connection', 'string'], ['connectionstring'], ['conn', 'str'], ['connstr']] },
  { label: 'a private key', phrases: [['private', 'key'], ['privatekey']] },
  { label: 'a signing key', phrases: [['signing', 'key'], ['signingkey']] },
  { label: 'an access key', phrases: [['access', 'key'], ['accesskey']] },
  { label: 'an API key', phrases: [['api', 'key'], ['apikey']] },
  { label: 'an auth key', phrases: [['auth', 'key'], ['authkey']] },
  { label: 'a password', phrases: [['password'], ['passwords'], ['passwd'], ['pwd'], ['passphrase']] },
  { label: 'a secret', phrases: [['secret'], ['secrets']] },
  // 'tokens' is left out on purpose: MAX_TOKENS and friends are LLM settings, not secrets.
  { label: 'a token', phrases: [['token']] },
  { label: 'credentials', phrases: [['credential'], ['credentials'], ['creds']] },
];

/**
 * Last words that mark a name as describing a secret (where it lives, how it is
 * configured) rather than holding it: DB_PASSWORD_SECRET_ARN, TOKEN_TTL, ...
 * Secret-shaped values under such names are still caught by the value checks.
 */
export const METADATA_SUFFIXES: ReadonlySet<string> = new Set([
  'arn', 'arns', 'name', 'names', 'id', 'ids', 'param', 'parameter', 'path', 'url', 'uri',
  'ttl', 'timeout', 'expiry', 'expiration', 'lifetime', 'duration',
  'header', 'endpoint', 'region', 'file', 'enabled', 'disabled', 'length', 'type',
  'version', 'prefix', 'issuer', 'audience', 'policy',
]);

/**
 * Values that cannot be a literal secret: empty, references to where a secret is
 * stored, booleans and plain numbers. Note that a purely numeric password is
 * therefore not reported by the name check (numbers are far more often limits).
 */
const NON_SECRET_VALUES: readonly RegExp[] = [
  /^$/, // empty (value is trimmed first)
  /^arn:/i, // ARN, e.g. of a Secrets Manager secret or SSM parameter
  /^\/[A-Za-z0-9_.\-/]+$/, // SSM parameter path, e.g. /prod/api-key
  /^(?:ssm|ssm-secure|secretsmanager|secrets-manager):/i, // reference schemes
  /^\{\{resolve:/, // CloudFormation dynamic reference
  /^(?:true|false|yes|no|on|off)$/i, // boolean
  /^[-+]?\d+(?:\.\d+)?$/, // plain number
];

/**
 * Checks a literal (already-resolved, non-token) name/value pair for a secret
 * written in plain text.
 *
 * Value shapes are checked first, whatever the name (FOO=AKIA... is found).
 * Then the name is checked for words such as "password" or "api key", unless the
 * name ends in a metadata word (…_ARN, …_TTL) or the value is a reference, a
 * boolean, a number or empty.
 *
 * @returns undefined when nothing suspicious was found.
 */
export function findLiteralSecret(name: string, value: string): EnvironmentFinding | undefined {
  const trimmed = value.trim();

  for (const shape of VALUE_SHAPES) {
    const match = shape.pattern.exec(trimmed);
    if (match && (!shape.accept || shape.accept(match[0]))) {
      const suffix = shape.preview ? ` (${preview(match[0])})` : '';
      return { check: shape.check, description: `its value ${shape.what}${suffix}` };
    }
  }

  const words = splitName(name);
  const rule = SECRET_NAME_RULES.find((r) => r.phrases.some((phrase) => containsPhrase(words, phrase)));
  if (!rule) {
    return undefined;
  }
  const lastWord = words[words.length - 1];
  if (lastWord !== undefined && METADATA_SUFFIXES.has(lastWord)) {
    return undefined;
  }
  if (NON_SECRET_VALUES.some((pattern) => pattern.test(trimmed))) {
    return undefined;
  }
  return { check: 'secret-name', description: `its name suggests ${rule.label}` };
}

/** First 4 characters followed by an ellipsis; never more of the secret. */
function preview(secret: string): string {
  return `${secret.slice(0, 4)}…`;
}

/**
 * Splits a name into lower-case words on underscores, other separators, camelCase
 * humps and letter/digit boundaries: "dbPassword" -> [db, password],
 * "APIKey" -> [api, key], "OAUTH2_TOKEN" -> [oauth, 2, token].
 */
function splitName(name: string): string[] {
  const separated = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  return separated.match(/[a-z]+|[0-9]+/g) ?? [];
}

/** Whether `phrase` occurs in `words` as consecutive words. */
function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= words.length; start++) {
    if (phrase.every((word, offset) => words[start + offset] === word)) {
      return true;
    }
  }
  return false;
}
