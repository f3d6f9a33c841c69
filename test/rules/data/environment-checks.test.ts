import {
  checkEnvironmentName,
  EnvironmentFinding,
  findLiteralSecret,
  RESERVED_ENVIRONMENT_VARIABLES,
} from '../../../src/rules/data/environment-checks';

// All "secrets" below are fake. Token-like strings are built by concatenation so
// that secret scanners do not flag this file.
const AWS_ACCESS_KEY_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY';
const JWT = 'eyJ' + 'hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJ' + 'zdWIiOiIxMjM0NTY3ODkwIn0' + '.' + 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM_BODY = 'MIIEowIBAAKCAQEAfakefakefakefakefake\n';

/** Asserts a finding with the given check id whose description does not leak the secret. */
function expectFinding(finding: EnvironmentFinding | undefined, check: string, secret: string): void {
  expect(finding?.check).toBe(check);
  expect(finding?.description).not.toContain(secret);
  // At most the first 4 characters of the secret may appear.
  expect(finding?.description).not.toContain(secret.slice(0, 5));
}

describe('RESERVED_ENVIRONMENT_VARIABLES', () => {
  test('lists every reserved name from the Lambda docs', () => {
    expect([...RESERVED_ENVIRONMENT_VARIABLES].sort()).toEqual([
      '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
      'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
      'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
      'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
      'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
    ].sort());
  });

  test('is frozen', () => {
    expect(Object.isFrozen(RESERVED_ENVIRONMENT_VARIABLES)).toBe(true);
  });
});

describe('checkEnvironmentName', () => {
  test('accepts an ordinary name', () => {
    expect(checkEnvironmentName('TABLE_NAME')).toBeUndefined();
    expect(checkEnvironmentName('logLevel2')).toBeUndefined();
  });

  test('accepts TZ, which Lambda no longer reserves', () => {
    expect(checkEnvironmentName('TZ')).toBeUndefined();
  });

  test('rejects every reserved name as reserved-name', () => {
    for (const name of RESERVED_ENVIRONMENT_VARIABLES) {
      expect(checkEnvironmentName(name)?.check).toBe('reserved-name');
    }
  });

  test('reports a reserved name starting with an underscore as reserved-name, not invalid-name', () => {
    expect(checkEnvironmentName('_X_AMZN_TRACE_ID')?.check).toBe('reserved-name');
  });

  test('rejects a one-character name as invalid-name (CloudFormation schema needs two)', () => {
    expect(checkEnvironmentName('X')?.check).toBe('invalid-name');
  });

  test('rejects an empty name as invalid-name', () => {
    expect(checkEnvironmentName('')?.check).toBe('invalid-name');
  });

  test('rejects a name starting with a digit as invalid-name', () => {
    expect(checkEnvironmentName('1ST_VALUE')?.check).toBe('invalid-name');
  });

  test('rejects a name containing a hyphen as invalid-name', () => {
    expect(checkEnvironmentName('MY-VAR')?.check).toBe('invalid-name');
  });

  test('rejects a name starting with an underscore as invalid-name', () => {
    expect(checkEnvironmentName('_PRIVATE')?.check).toBe('invalid-name');
  });

  test('rejects a name containing a space or dot as invalid-name', () => {
    expect(checkEnvironmentName('MY VAR')?.check).toBe('invalid-name');
    expect(checkEnvironmentName('my.var')?.check).toBe('invalid-name');
  });
});

describe('findLiteralSecret: value shapes', () => {
  test('finds an AWS access key id under an innocent name', () => {
    expectFinding(findLiteralSecret('FOO', AWS_ACCESS_KEY_ID), 'aws-access-key-id', AWS_ACCESS_KEY_ID);
    expect(findLiteralSecret('FOO', AWS_ACCESS_KEY_ID)?.description).toBe('its value looks like an AWS access key id (AKIA…)');
  });

  test('finds AWS access key ids with every known prefix', () => {
    for (const prefix of ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'ANPA', 'ANVA', 'ABIA', 'ACCA']) {
      expect(findLiteralSecret('FOO', prefix + 'IOSFODNN7EXAMPLE')?.check).toBe('aws-access-key-id');
    }
  });

  test('finds an AWS access key id under a metadata-like name ending in _ID', () => {
    expectFinding(findLiteralSecret('MY_ACCESS_KEY_ID', AWS_ACCESS_KEY_ID), 'aws-access-key-id', AWS_ACCESS_KEY_ID);
  });

  test('does not treat a short AKIA-prefixed word as an access key id', () => {
    expect(findLiteralSecret('FOO', 'AKIA' + 'SHORT')).toBeUndefined();
  });

  test('finds an AWS secret access key', () => {
    expectFinding(findLiteralSecret('FOO', AWS_SECRET_ACCESS_KEY), 'aws-secret-access-key', AWS_SECRET_ACCESS_KEY);
  });

  test('does not treat a 40-character hex git sha as an AWS secret access key', () => {
    expect(findLiteralSecret('GIT_SHA', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toBeUndefined();
  });

  test('does not treat a 40-character lowercase word as an AWS secret access key', () => {
    expect(findLiteralSecret('FOO', 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn')).toBeUndefined();
  });

  test('does not treat a 40-character path without digits as an AWS secret access key', () => {
    expect(findLiteralSecret('FOO', 'Prod/MyApp/Database/Credentials/PrimaryX')).toBeUndefined();
  });

  test('finds a GitHub classic token', () => {
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) {
      const token = prefix + 'a1B2'.repeat(9);
      expectFinding(findLiteralSecret('FOO', token), 'github-token', token);
    }
  });

  test('finds a GitHub fine-grained personal access token', () => {
    const token = 'github_' + 'pat_' + '11ABCDEFG0' + 'x'.repeat(12) + '_' + 'y'.repeat(59);
    expectFinding(findLiteralSecret('FOO', token), 'github-token', token);
  });

  test('does not treat a short ghp_ string as a GitHub token', () => {
    expect(findLiteralSecret('FOO', 'ghp_' + 'a'.repeat(10))).toBeUndefined();
  });

  test('finds Slack tokens', () => {
    for (const kind of ['b', 'p', 'a', 'r', 's']) {
      const token = 'xox' + kind + '-' + '1234567890-abcdefghij';
      expectFinding(findLiteralSecret('FOO', token), 'slack-token', token);
    }
  });

  test('does not treat a word starting with xox as a Slack token', () => {
    expect(findLiteralSecret('GREETING', 'xoxo-hugs-and-kisses')).toBeUndefined();
  });

  test('finds a Slack webhook URL', () => {
    const url = 'https://hooks.slack.com/services/' + 'T00000000/B00000000/' + 'X'.repeat(24);
    expectFinding(findLiteralSecret('NOTIFY_URL', url), 'slack-webhook', url);
  });

  test('does not treat the Slack API host as a webhook URL', () => {
    expect(findLiteralSecret('SLACK_API', 'https://slack.com/api/chat.postMessage')).toBeUndefined();
  });

  test('finds Stripe secret and restricted keys', () => {
    for (const prefix of ['sk_', 'rk_']) {
      for (const mode of ['live_', 'test_']) {
        const key = prefix + mode + '4eC39HqLyjWDarjtT1zdp7dc';
        expectFinding(findLiteralSecret('FOO', key), 'stripe-secret-key', key);
      }
    }
  });

  test('does not treat a Stripe publishable key as a secret', () => {
    expect(findLiteralSecret('STRIPE_PUBLISHABLE', 'pk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc')).toBeUndefined();
  });

  test('finds a JWT', () => {
    expectFinding(findLiteralSecret('FOO', JWT), 'jwt', JWT);
  });

  test('finds a JWT behind a Bearer prefix', () => {
    expectFinding(findLiteralSecret('AUTHORIZATION', 'Bearer ' + JWT), 'jwt', JWT);
  });

  test('does not treat a dotted version string as a JWT', () => {
    expect(findLiteralSecret('VERSION', '1.2.3')).toBeUndefined();
    expect(findLiteralSecret('JWT_HEADER_SAMPLE_LABEL', 'eyJhbGciOiJIUzI1NiJ9')).toBeUndefined();
  });

  test('finds PEM private keys of every kind', () => {
    for (const kind of ['', 'RSA ', 'EC ', 'OPENSSH ', 'ENCRYPTED ', 'DSA ']) {
      const pem = '-----BEGIN ' + kind + 'PRIVATE KEY-----\n' + PEM_BODY + '-----END ' + kind + 'PRIVATE KEY-----';
      expectFinding(findLiteralSecret('FOO', pem), 'private-key', PEM_BODY);
    }
  });

  test('does not treat a PEM certificate or public key as a private key', () => {
    expect(findLiteralSecret('CA_BUNDLE', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toBeUndefined();
    expect(findLiteralSecret('VERIFY_PEM', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----')).toBeUndefined();
  });

  test('finds a Google API key', () => {
    const key = 'AIza' + 'SyA1234567890abcdefghijklmnopqrstuv';
    expectFinding(findLiteralSecret('MAPS', key), 'google-api-key', key);
  });

  test('does not treat a short AIza string as a Google API key', () => {
    expect(findLiteralSecret('FOO', 'AIza' + 'Sy12')).toBeUndefined();
  });

  test('finds a URL with an embedded user name and password', () => {
    const finding = findLiteralSecret('DATABASE_URL', 'postgres://app:hunter2pass@db.example.com:5432/orders');
    expectFinding(finding, 'url-credentials', 'hunter2pass');
  });

  test('finds a URL with a password and an empty user name', () => {
    expectFinding(findLiteralSecret('CACHE', 'redis://:s3cr3tpass@cache.example.com:6379'), 'url-credentials', 's3cr3tpass');
  });

  test('does not treat a URL without credentials as a secret', () => {
    expect(findLiteralSecret('SERVICE', 'https://example.com:8443/path?q=a:b')).toBeUndefined();
  });

  test('does not treat a URL with only a user name as a secret', () => {
    expect(findLiteralSecret('REPO', 'ssh://git@github.com/org/repo.git')).toBeUndefined();
  });

  test('does not treat a UUID as a secret', () => {
    expect(findLiteralSecret('REQUEST_ID_SEED', '123e4567-e89b-12d3-a456-426614174000')).toBeUndefined();
  });

  test('does not treat an ISO date as a secret', () => {
    expect(findLiteralSecret('RELEASED_AT', '2024-05-01T12:34:56.789Z')).toBeUndefined();
  });
});

describe('findLiteralSecret: names', () => {
  test('finds a literal password', () => {
    expectFinding(findLiteralSecret('DB_PASSWORD', 'hunter2'), 'secret-name', 'hunter2');
    expect(findLiteralSecret('DB_PASSWORD', 'hunter2')?.description).toBe('its name suggests a password');
  });

  test('finds a literal secret', () => {
    expectFinding(findLiteralSecret('SECRET', 'x9$kLm2!'), 'secret-name', 'x9$kLm2!');
  });

  test('matches secret words case-insensitively in camelCase names', () => {
    expectFinding(findLiteralSecret('dbPassword', 'hunter2'), 'secret-name', 'hunter2');
    expectFinding(findLiteralSecret('stripeApiKey', 'abcdef123456'), 'secret-name', 'abcdef123456');
    expectFinding(findLiteralSecret('APIKey', 'abcdef123456'), 'secret-name', 'abcdef123456');
  });

  test('finds every secret-suggesting name', () => {
    const names = [
      'PASSWORD', 'MYSQL_PASSWD', 'FTP_PWD', 'KEY_PASSPHRASE', 'JWT_SECRET', 'AUTH_TOKEN', 'API_KEY', 'APIKEY',
      'SSH_PRIVATE_KEY', 'SERVICE_ACCESS_KEY', 'OAUTH_CLIENT_SECRET', 'GOOGLE_CREDENTIALS', 'SERVICE_CREDENTIAL',
      'HMAC_AUTH_KEY', 'WEBHOOK_SIGNING_KEY', 'DB_CONNECTION_STRING', 'APP_SECRETS',
    ];
    for (const name of names) {
      expect(findLiteralSecret(name, 'plain-literal-value')?.check).toBe('secret-name');
    }
  });

  test('describes the most specific secret kind', () => {
    expect(findLiteralSecret('OAUTH_CLIENT_SECRET', 'abc')?.description).toBe('its name suggests a client secret');
    expect(findLiteralSecret('DB_CONNECTION_STRING', 'abc')?.description).toBe('its name suggests a connection string');
    expect(findLiteralSecret('STRIPE_API_KEY', 'abc')?.description).toBe('its name suggests an API key');
  });

  test('does not match secret words inside longer words', () => {
    expect(findLiteralSecret('TOKENIZER_MODEL', 'bert-base')).toBeUndefined();
    expect(findLiteralSecret('SECRETARY_EMAIL', 'pa@example.com')).toBeUndefined();
  });

  test('does not treat MAX_TOKENS as a token', () => {
    expect(findLiteralSecret('MAX_TOKENS', 'unlimited')).toBeUndefined();
  });

  test('accepts ordinary configuration', () => {
    expect(findLiteralSecret('LOG_LEVEL', 'INFO')).toBeUndefined();
    expect(findLiteralSecret('TABLE_NAME', 'orders')).toBeUndefined();
  });
});

describe('findLiteralSecret: reference and literal value exemptions', () => {
  test('accepts an empty value', () => {
    expect(findLiteralSecret('PASSWORD', '')).toBeUndefined();
  });

  test('accepts a whitespace-only value', () => {
    expect(findLiteralSecret('PASSWORD', '   ')).toBeUndefined();
  });

  test('accepts an ARN', () => {
    expect(findLiteralSecret('DB_PASSWORD', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf')).toBeUndefined();
  });

  test('accepts an SSM parameter path', () => {
    expect(findLiteralSecret('API_KEY', '/prod/api-key')).toBeUndefined();
  });

  test('does not treat a slash-prefixed password as a parameter path', () => {
    expectFinding(findLiteralSecret('PASSWORD', '/x9$kLm2!'), 'secret-name', '/x9$kLm2!');
  });

  test('accepts ssm: and secretsmanager: references', () => {
    expect(findLiteralSecret('API_TOKEN', 'ssm:/prod/token')).toBeUndefined();
    expect(findLiteralSecret('DB_PASSWORD', 'secretsmanager:prod/db:password')).toBeUndefined();
  });

  test('accepts a CloudFormation dynamic reference', () => {
    expect(findLiteralSecret('DB_PASSWORD', '{{resolve:secretsmanager:prod/db:SecretString:password}}')).toBeUndefined();
  });

  test('accepts booleans', () => {
    for (const value of ['true', 'FALSE', 'yes', 'no', 'on', 'off']) {
      expect(findLiteralSecret('USE_TOKEN', value)).toBeUndefined();
    }
  });

  test('accepts plain numbers', () => {
    expect(findLiteralSecret('TOKEN_BUCKET', '100')).toBeUndefined();
    expect(findLiteralSecret('SECRET_WEIGHT', '-0.5')).toBeUndefined();
  });
});

describe('findLiteralSecret: metadata name exemptions', () => {
  test('accepts a name ending in _ARN', () => {
    expect(findLiteralSecret('DB_PASSWORD_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x')).toBeUndefined();
    expect(findLiteralSecret('SECRET_ARN', 'not-an-arn-but-fine')).toBeUndefined();
  });

  test('accepts a name ending in _NAME', () => {
    expect(findLiteralSecret('API_KEY_PARAMETER_NAME', '/prod/api-key')).toBeUndefined();
    expect(findLiteralSecret('DB_SECRET_NAME', 'prod-db-credentials')).toBeUndefined();
  });

  test('accepts a name ending in _ID when the value is not secret-shaped', () => {
    expect(findLiteralSecret('SECRET_ID', 'prod-db-credentials')).toBeUndefined();
  });

  test('accepts a name ending in _PARAM or _PARAMETER', () => {
    expect(findLiteralSecret('API_KEY_PARAM', 'prod-api-key')).toBeUndefined();
    expect(findLiteralSecret('TOKEN_PARAMETER', 'prod-token')).toBeUndefined();
  });

  test('accepts a name ending in _PATH', () => {
    expect(findLiteralSecret('PRIVATE_KEY_PATH', 'certs/key.pem')).toBeUndefined();
  });

  test('accepts a name ending in _URL when the URL has no credentials', () => {
    expect(findLiteralSecret('TOKEN_URL', 'https://auth.example.com/oauth2/token')).toBeUndefined();
  });

  test('still finds credentials in a URL under a name ending in _URL', () => {
    expectFinding(findLiteralSecret('SECRET_URL', 'https://u:hunter2pass@example.com'), 'url-credentials', 'hunter2pass');
  });

  test('accepts a name ending in _TTL', () => {
    expect(findLiteralSecret('TOKEN_TTL', '3600')).toBeUndefined();
    expect(findLiteralSecret('TOKEN_TTL', '1h')).toBeUndefined();
  });

  test('accepts a name ending in _TIMEOUT', () => {
    expect(findLiteralSecret('TOKEN_TIMEOUT', '30s')).toBeUndefined();
  });

  test('accepts a name ending in _EXPIRY', () => {
    expect(findLiteralSecret('PASSWORD_EXPIRY', '90d')).toBeUndefined();
  });

  test('accepts a name ending in _HEADER', () => {
    expect(findLiteralSecret('API_KEY_HEADER', 'x-api-key')).toBeUndefined();
  });

  test('accepts a name ending in _ENDPOINT', () => {
    expect(findLiteralSecret('SECRETS_ENDPOINT', 'secretsmanager.eu-west-1.amazonaws.com')).toBeUndefined();
  });

  test('accepts a name ending in _REGION', () => {
    expect(findLiteralSecret('SECRET_REGION', 'eu-west-1')).toBeUndefined();
  });

  test('accepts a name ending in _FILE', () => {
    expect(findLiteralSecret('CREDENTIALS_FILE', 'creds.json')).toBeUndefined();
  });

  test('accepts a name ending in _ENABLED', () => {
    expect(findLiteralSecret('TOKEN_AUTH_ENABLED', 'maybe')).toBeUndefined();
  });

  test('accepts a name ending in _LENGTH', () => {
    expect(findLiteralSecret('PASSWORD_MIN_LENGTH', 'twelve')).toBeUndefined();
  });

  test('accepts a name ending in _TYPE', () => {
    expect(findLiteralSecret('TOKEN_TYPE', 'Bearer')).toBeUndefined();
  });

  test('does not exempt a name where the metadata word is not last', () => {
    expectFinding(findLiteralSecret('SECRET_NAME_PASSWORD', 'hunter2'), 'secret-name', 'hunter2');
  });
});
