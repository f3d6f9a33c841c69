import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnCondition, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { renderGuardRules } from '../../../src/guard/rules-file';
import { findLiteralSecret } from '../../../src/rules/data/environment-checks';
import { FunctionView } from '../../../src/rules/function-view';
import { environmentLiteralSecret } from '../../../src/rules/lambda/lambda-env-literal-secret';
import { runGuard } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

// Built from pieces so that no secret scanner flags this file.
const ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.');
const SECRET_ACCESS_KEY = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
const PASSWORD = 'correct-horse-battery';

const ACCESS_KEY_PROBLEM = 'environment variable UPLOADER holds a literal secret: its value looks like an AWS access key id (AKIA…)';
const PASSWORD_PROBLEM = 'environment variable DB_PASSWORD holds a literal secret: its name suggests a password';
const JWT_PROBLEM = 'environment variable AUTH_HEADER_VALUE holds a literal secret: its value looks like a JSON Web Token (eyJh…)';

function l2(stack: Stack, id: string, environment: Record<string, string>): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), environment });
}

/** An L1 function (id 'Fn') whose whole Variables map is an Fn::If on the condition 'Prod'. */
function conditionalVariables(stack: Stack, variables: Record<string, string>): lambda.CfnFunction {
  const prod = new CfnCondition(stack, 'Prod', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Stage').valueAsString, 'prod') });
  const fn = cfnFunction(stack, {}, 'Fn');
  fn.addPropertyOverride('Environment.Variables', { 'Fn::If': [prod.logicalId, variables, { Ref: 'AWS::NoValue' }] });
  return fn;
}

ruleTable(environmentLiteralSecret, [
  {
    name: 'compliant: safe values, references by ARN or path (L2)',
    build: (stack) => ({
      fn: l2(stack, 'L2', { TABLE_NAME: 'orders', LOG_LEVEL: 'info', DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db', API_KEY: '/prod/api-key' }),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'compliant: no environment',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: an AWS access key id under an innocent name (L2), on the function',
    build: (stack) => {
      const fn = l2(stack, 'L2', { UPLOADER: ACCESS_KEY_ID });
      return { fn, check: [{ on: fn, problem: ACCESS_KEY_PROBLEM }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('L2').node.defaultChild as lambda.CfnFunction).logicalId)],
  },
  {
    name: 'non-compliant: a password-named variable and a JWT, one violation each',
    build: (stack) => {
      const fn = cfnFunction(stack, { environment: { variables: { DB_PASSWORD: PASSWORD, AUTH_HEADER_VALUE: JWT, REGION_NAME: 'eu-west-1' } } }, 'Fn');
      return { fn, check: [{ on: fn, problem: PASSWORD_PROBLEM }, { on: fn, problem: JWT_PROBLEM }] };
    },
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'non-compliant: a password-named variable beside a safe value',
    build: (stack) => {
      const fn = cfnFunction(stack, { environment: { variables: { DB_PASSWORD: PASSWORD, REGION_NAME: 'eu-west-1' } } }, 'Fn');
      return { fn, check: [{ on: fn, problem: PASSWORD_PROBLEM }] };
    },
  },
  {
    name: 'non-compliant: a JWT beside a safe value',
    build: (stack) => {
      const fn = cfnFunction(stack, { environment: { variables: { AUTH_HEADER_VALUE: JWT, REGION_NAME: 'eu-west-1' } } }, 'Fn');
      return { fn, check: [{ on: fn, problem: JWT_PROBLEM }] };
    },
  },
  {
    name: 'non-compliant: token values are skipped, a literal secret beside one is still found',
    build: (stack) => {
      const param = ssm.StringParameter.valueForStringParameter(stack, '/prod/db-password');
      const fn = cfnFunction(stack, { environment: { variables: { DB_PASSWORD: param, API_TOKEN: PASSWORD } } }, 'Fn');
      return { fn, check: [{ on: fn, problem: 'environment variable API_TOKEN holds a literal secret: its name suggests a token' }] };
    },
  },
  {
    name: 'unresolved: a token under a secret name is not reported (an SSM parameter)',
    build: (stack) => ({
      fn: cfnFunction(stack, { environment: { variables: { DB_PASSWORD: ssm.StringParameter.valueForStringParameter(stack, '/prod/db-password') } } }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'unresolved: every value is a token (a NoEcho parameter)',
    build: (stack) => ({
      fn: cfnFunction(stack, { environment: { variables: { DB_PASSWORD: new CfnParameter(stack, 'Secret', { noEcho: true }).valueAsString } } }, 'Fn'),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'unresolved: the whole Variables map is an Fn::If (safe values)',
    build: (stack) => ({ fn: conditionalVariables(stack, { LOG_LEVEL: 'info' }), check: 'UNRESOLVED' }),
  },
  {
    name: 'unresolved: the whole Variables map is an Fn::If (a password)',
    build: (stack) => ({ fn: conditionalVariables(stack, { DB_PASSWORD: PASSWORD }), check: 'UNRESOLVED' }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = l2(stack, 'L2', { UPLOADER: ACCESS_KEY_ID });
      Validations.of(fn).acknowledge({ id: environmentLiteralSecret.id, reason: 'the documented example key of the AWS docs' });
      return { fn, check: [{ on: fn, problem: ACCESS_KEY_PROBLEM }] };
    },
    reported: false,
  },
]);

describe('lambda-env-literal-secret: what a violation says', () => {
  test('values are never shown, only their names and shapes', () => {
    const stack = new Stack(new App(), 'Stack');
    const fn = cfnFunction(stack, { environment: { variables: { DB_PASSWORD: PASSWORD, AUTH_HEADER_VALUE: JWT, REGION_NAME: 'eu-west-1' } } }, 'Fn');
    const result = environmentLiteralSecret.check(FunctionView.of(fn));
    expect(Array.isArray(result)).toBe(true);
    const text = JSON.stringify((result as Array<{ problem: string }>).map((v) => v.problem));
    expect(text).toContain('DB_PASSWORD');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(JWT.slice(0, 8));
  });
});

describe('lambda-env-literal-secret: the Guard regexes and findLiteralSecret', () => {
  test('the Guard regexes give findLiteralSecret\'s verdict on a corpus of names and values', () => {
    const words = ['password', 'pwd', 'secret', 'token', 'tokens', 'creds', 'api', 'key', 'client', 'conn', 'str', 'private', 'db', 'pass', 'word'];
    const suffixes = ['', 'arn', 'ttl', 'name', 'value', 'id', '2'];
    const styles = [
      (ws: string[]) => ws.map((w) => w.toUpperCase()).join('_'),
      (ws: string[]) => ws.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join(''),
      (ws: string[]) => ws.map((w) => w.toUpperCase()).join(''),
      (ws: string[]) => ws.join(''),
      (ws: string[]) => ws.map((w, i) => (i % 2 ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1))).join(''),
    ];
    const names = new Set(['APIKey', 'APIkey', 'DBPassword', 'dbPASSWORD', 'PASSWORDs', 'PASSWORDValue', 'Xpassword', 'OAUTH2_TOKEN', '2token',
      'API_KEY_ARN2', 'ClientSecretARN', 'clientSECRET', 'CLIENTSecret', 'ConnStr', 'conn_str_url', 'TOKEN_TTL', 'MAX_TOKENS', '__secret__', 'privateKEY', 'PRIVATEKey']);
    let seed = 11;
    const pick = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    while (names.size < 90) {
      const ws = Array.from({ length: 1 + pick(2) }, () => words[pick(words.length)]);
      const suffix = suffixes[pick(suffixes.length)];
      names.add(styles[pick(styles.length)](suffix ? [...ws, suffix] : ws));
    }
    const values = [PASSWORD, '', ' arn:aws:x ', '/prod/key', ' Yes ', '-3.5', '{{resolve:ssm:x}}', 'ssm-secure:x', `x${ACCESS_KEY_ID}`, `${ACCESS_KEY_ID}1`,
      `Bearer ${JWT}`, SECRET_ACCESS_KEY, 'a'.repeat(40), 'postgres://user:pw@host/db', 'https://user@host', '-----BEGIN EC PRIVATE KEY-----', '\u00a0true\u00a0'];
    const template = { Resources: {} as Record<string, unknown> };
    const expected: string[] = [];
    [...names].forEach((name, n) => values.forEach((value, v) => {
      if ((n + v) % 4 !== 0 && value !== PASSWORD) {
        return;
      }
      const id = `F${n}x${v}`;
      template.Resources[id] = { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { [name]: value } } } };
      if (findLiteralSecret(name, value)) {
        expected.push(id);
      }
    }));
    // This rule alone: the whole catalog's report on so many bare functions is too long to read back.
    const rules = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guard-rule-')), 'rule.guard');
    fs.writeFileSync(rules, renderGuardRules([environmentLiteralSecret]));
    const failure = runGuard(template, rules).failures.find((f) => f.ruleId === environmentLiteralSecret.id);
    expect(failure?.logicalIds ?? []).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(100);
  });
});
