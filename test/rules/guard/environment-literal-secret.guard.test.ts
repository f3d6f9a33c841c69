import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnCondition, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { renderGuardRules } from '../../../src/guard/rules-file';
import { findLiteralSecret } from '../../../src/rules/data/environment-checks';
import { environmentLiteralSecret } from '../../../src/rules/lambda/lambda-env-literal-secret';
import { runGuard, stackIn, verdictOf, verdicts } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-env-literal-secret';

// Built from pieces so that no secret scanner flags this file.
const ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.');
const SECRET_ACCESS_KEY = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
const PASSWORD = 'correct-horse-battery';

function l2(stack: Stack, id: string, environment: Record<string, string>): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), environment });
}

describe(`${RULE} in Guard`, () => {
  test('non-compliant: an AWS access key id under an innocent name (L2): both engines fail the rule, on the function', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack, 'L2', { UPLOADER: ACCESS_KEY_ID });
    const v = verdicts(app);
    expect({ aspect: v.aspect.Stack.includes(RULE), guard: v.guard.Stack.includes(RULE) }).toEqual({ aspect: true, guard: true });
    const failure = runGuard(v.templates.Stack).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-env-literal-secret\] No environment variable holds a literal secret\. Fix: /);
  });

  test('non-compliant: a password-named variable, a JWT beside safe values', () => {
    const cases: Array<Record<string, string>> = [{ DB_PASSWORD: PASSWORD, REGION_NAME: 'eu-west-1' }, { AUTH_HEADER_VALUE: JWT, REGION_NAME: 'eu-west-1' }];
    for (const variables of cases) {
      const { app, stack } = stackIn();
      cfnFunction(stack, { environment: { variables } }, 'Fn');
      expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    }
  });

  test('compliant: safe values, references by ARN or path, no environment', () => {
    const { app, stack } = stackIn();
    l2(stack, 'L2', { TABLE_NAME: 'orders', LOG_LEVEL: 'info', DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db', API_KEY: '/prod/api-key' });
    cfnFunction(stack, {}, 'NoEnvironment');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('token values are skipped: a literal secret beside one is still found, a token under a secret name is not', () => {
    const beside = stackIn();
    const param = ssm.StringParameter.valueForStringParameter(beside.stack, '/prod/db-password');
    cfnFunction(beside.stack, { environment: { variables: { DB_PASSWORD: param, API_TOKEN: PASSWORD } } }, 'Fn');
    expect(verdictOf(beside.app, RULE)).toEqual({ aspect: true, guard: true });

    const alone = stackIn();
    cfnFunction(alone.stack, { environment: { variables: { DB_PASSWORD: ssm.StringParameter.valueForStringParameter(alone.stack, '/prod/db-password') } } }, 'Fn');
    expect(verdictOf(alone.app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: every value is a token, or the whole Variables map is, pass both', () => {
    const { app, stack } = stackIn();
    const secret = new CfnParameter(stack, 'Secret', { noEcho: true }).valueAsString;
    cfnFunction(stack, { environment: { variables: { DB_PASSWORD: secret } } }, 'Fn');
    const prod = new CfnCondition(stack, 'Prod', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Stage').valueAsString, 'prod') });
    const conditional = cfnFunction(stack, {}, 'Conditional');
    conditional.addPropertyOverride('Environment.Variables', { 'Fn::If': [prod.logicalId, { DB_PASSWORD: PASSWORD }, { Ref: 'AWS::NoValue' }] });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged: the exception travels in Metadata.guard.SuppressedRules', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack, 'L2', { UPLOADER: ACCESS_KEY_ID });
    Validations.of(fn).acknowledge({ id: RULE, reason: 'the documented example key of the AWS docs' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

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
    const failure = runGuard(template, rules).failures.find((f) => f.ruleId === RULE);
    expect(failure?.logicalIds ?? []).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(100);
  });
});
