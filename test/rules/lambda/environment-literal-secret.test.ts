import { CfnParameter } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { FunctionView } from '../../../src/rules/function-view';
import { environmentLiteralSecret } from '../../../src/rules/lambda/lambda-env-literal-secret';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

// Built from pieces so that no secret scanner flags this file.
const ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.');
const PASSWORD = 'correct-horse-battery';

describe('lambda-env-literal-secret', () => {
  test('compliant: safe values, references by ARN or path, no environment', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'L2', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('x'),
      environment: { TABLE_NAME: 'orders', LOG_LEVEL: 'info', DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db', API_KEY: '/prod/api-key' },
    });
    expect(environmentLiteralSecret.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
    expect(environmentLiteralSecret.check(FunctionView.of(cfnFunction(stack)))).toBe('COMPLIANT');
  });

  test('non-compliant: an AWS access key id under an innocent name (L2)', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'L2', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), environment: { UPLOADER: ACCESS_KEY_ID },
    });
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    expect(environmentLiteralSecret.check(FunctionView.of(cfn))).toEqual([
      { resource: cfn, problem: 'environment variable UPLOADER holds a literal secret: its value looks like an AWS access key id (AKIA…)' },
    ]);
  });

  test('non-compliant: a password-named variable and a JWT, one violation each, values never shown', () => {
    const stack = newStack();
    const fn = cfnFunction(stack, { environment: { variables: { DB_PASSWORD: PASSWORD, AUTH_HEADER_VALUE: JWT, REGION_NAME: 'eu-west-1' } } });
    const result = environmentLiteralSecret.check(FunctionView.of(fn));
    expect(result).toEqual([
      { resource: fn, problem: 'environment variable DB_PASSWORD holds a literal secret: its name suggests a password' },
      { resource: fn, problem: 'environment variable AUTH_HEADER_VALUE holds a literal secret: its value looks like a JSON Web Token (eyJh…)' },
    ]);
    const text = JSON.stringify((result as Array<{ problem: string }>).map((v) => v.problem));
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(JWT.slice(0, 8));
  });

  test('token values are skipped: a literal secret beside one is still found, a token under a secret name is not', () => {
    const stack = newStack();
    const param = ssm.StringParameter.valueForStringParameter(stack, '/prod/db-password');
    const fn = cfnFunction(stack, { environment: { variables: { DB_PASSWORD: param, API_TOKEN: PASSWORD } } });
    expect(environmentLiteralSecret.check(FunctionView.of(fn))).toEqual([
      { resource: fn, problem: 'environment variable API_TOKEN holds a literal secret: its name suggests a token' },
    ]);
  });

  test('unresolved: every value is a token, or the whole environment is', () => {
    const stack = newStack();
    const secret = new CfnParameter(stack, 'Secret', { noEcho: true }).valueAsString;
    const fn = cfnFunction(stack, { environment: { variables: { DB_PASSWORD: secret } } });
    expect(environmentLiteralSecret.check(FunctionView.of(fn))).toBe('UNRESOLVED');
    const conditional = cfnFunction(stack);
    conditional.addPropertyOverride('Environment.Variables', { 'Fn::If': ['Prod', { A: 'b' }, { Ref: 'AWS::NoValue' }] });
    expect(environmentLiteralSecret.check(FunctionView.of(conditional))).toBe('UNRESOLVED');
  });
});
