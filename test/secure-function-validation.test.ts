import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SecureFunction, SecureFunctionProps } from '../src';
import { minimalProps } from './support/fixtures';

function build(overrides: Partial<SecureFunctionProps> | Record<string, unknown>, stack = new Stack(new App(), 'Test')): SecureFunction {
  return new SecureFunction(stack, 'Fn', { ...minimalProps(), ...overrides } as SecureFunctionProps);
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('SecureFunction rejects bad input at synth with a clear error', () => {
  test('the error is a validation error, not a TypeError', () => {
    const error = errorOf(() => build({ memorySize: 64 }));
    expect(error.name).toBe('SecureFunctionValidationError');
    expect(error).not.toBeInstanceOf(TypeError);
  });

  test.each([
    ['memorySize below 128', { memorySize: 64 }, /'memorySize' must be a whole number of MB between 128 and 10240.*got 64.*Fix:/],
    ['memorySize above 10240', { memorySize: 10241 }, /'memorySize'.*got 10241/],
    ['fractional memorySize', { memorySize: 512.5 }, /'memorySize'.*got 512.5/],
    ['timeout above 15 minutes', { timeout: Duration.minutes(16) }, /'timeout' must be a whole number of seconds between 1 second and 15 minutes.*got 960 seconds/],
    ['timeout below 1 second', { timeout: Duration.millis(500) }, /'timeout'.*got 0.5 seconds/],
    ['reserved concurrency 0', { reservedConcurrentExecutions: 0 }, /'reservedConcurrentExecutions' must be a whole number of at least 1 .*lambda-reserved-concurrency.*got 0/],
    ['negative reserved concurrency', { reservedConcurrentExecutions: -3 }, /'reservedConcurrentExecutions'.*got -3/],
    ['deprecated runtime nodejs16.x', { runtime: lambda.Runtime.NODEJS_16_X }, /'runtime' must be supported by Lambda .*lambda-runtime-deprecated: deprecated since 2024-06-12.*got 'nodejs16.x'.*Fix: use 'nodejs24.x'/],
    ['deprecated runtime python3.8', { runtime: lambda.Runtime.PYTHON_3_8 }, /'runtime'.*got 'python3.8'.*use 'python3.1\d'/],
    ['deprecated runtime go1.x', { runtime: lambda.Runtime.GO_1_X }, /'runtime'.*got 'go1.x'/],
    ['an AWS access key id in a value', { environment: { UPSTREAM: 'AKIA' + 'IOSFODNN7EXAMPLE' } }, /'environment' variable 'UPSTREAM' must not hold a secret in plain text .*AWS access key id.*Fix: store it in Secrets Manager and pass secrets: \{ UPSTREAM: secret \}/],
    ['an AWS secret access key in a value', { environment: { CONFIG: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY' } }, /'environment' variable 'CONFIG'.*secret access key/],
    ['a GitHub token', { environment: { GH: 'ghp' + '_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8' } }, /variable 'GH'.*GitHub/],
    ['a Slack token', { environment: { NOTIFY: 'xox' + 'b-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx' } }, /variable 'NOTIFY'.*Slack/],
    ['a Stripe secret key', { environment: { PAYMENTS: 'sk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc' } }, /variable 'PAYMENTS'.*Stripe/],
    ['a JWT', { environment: { SESSION: 'eyJhbGciOiJIUzI1NiJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' } }, /variable 'SESSION'.*JSON Web Token/],
    ['a PEM private key', { environment: { TLS: '-----BEGIN RSA ' + 'PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----' } }, /variable 'TLS'.*private key/],
    ['a password by name', { environment: { DB_PASSWORD: 'hunter2!' } }, /variable 'DB_PASSWORD' must not hold a secret in plain text .*password/],
    ['an api key by name', { environment: { PARTNER_API_KEY: 'k3y-v4lue-x9' } }, /variable 'PARTNER_API_KEY'.*api key/i],
    ['an invalid variable name', { environment: { 'bad-name': 'x1' } }, /'environment' variable 'bad-name' is not a valid Lambda environment variable name/],
    ['a one-letter variable name', { environment: { X: 'x1' } }, /variable 'X' is not a valid Lambda environment variable name/],
    ['a reserved variable name', { environment: { AWS_REGION: 'eu-west-1' } }, /variable 'AWS_REGION' is not a valid .*reserved/],
    ['a reserved variable name used for a secret', { secrets: { _HANDLER: secretsmanager.Secret.fromSecretNameV2(new Stack(), 'S', 'db') } }, /'secrets' variable '_HANDLER'.*reserved/],
    ['an owned prop: role', { role: { roleArn: 'arn:aws:iam::111122223333:role/x' } }, /'role' is owned by SecureFunction and cannot be set.*Fix: SecureFunction creates one execution role/],
    ['an owned prop: tracing', { tracing: lambda.Tracing.DISABLED }, /'tracing' is owned by SecureFunction.*Fix: active X-Ray tracing is always on/],
    ['an owned prop: securityGroups', { securityGroups: [] }, /'securityGroups' is owned by SecureFunction/],
    ['an owned prop: deadLetterQueueEnabled', { deadLetterQueueEnabled: false }, /'deadLetterQueueEnabled' is owned/],
  ])('%s', (_case, overrides, message) => {
    const error = errorOf(() => build(overrides));
    expect(error.name).toBe('SecureFunctionValidationError');
    expect(error.message).toMatch(message);
  });

  test('a variable in both environment and secrets', () => {
    const stack = new Stack(new App(), 'Test');
    const secret = new secretsmanager.Secret(stack, 'Db');
    expect(() => build({ environment: { DB_SECRET_ARN: 'x1' }, secrets: { DB_SECRET_ARN: secret } }, stack))
      .toThrow(/'secrets' variable 'DB_SECRET_ARN' collides with the same variable in 'environment'/);
  });

  test('public subnets', () => {
    const stack = new Stack(new App(), 'Test');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    expect(() => build({ vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, stack))
      .toThrow(/'vpcSubnets.subnetType' must be PRIVATE_ISOLATED or PRIVATE_WITH_EGRESS .*lambda-public-subnet.*got 'PUBLIC'/);
  });

  test('explicitly chosen public subnets', () => {
    const stack = new Stack(new App(), 'Test');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    expect(() => build({ vpc, vpcSubnets: { subnets: [vpc.publicSubnets[0]] } }, stack)).toThrow(/'vpcSubnets.subnets' must not contain public subnets/);
  });

  test('a VPC with public subnets only', () => {
    const stack = new Stack(new App(), 'Test');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => build({ vpc }, stack)).toThrow(/'vpc' must have private or isolated subnets .*got a VPC with 2 public subnet\(s\) only/);
  });

  test('a token value is not judged as a literal secret', () => {
    const stack = new Stack(new App(), 'Test');
    const secret = new secretsmanager.Secret(stack, 'Db');
    expect(() => build({ environment: { DB_PASSWORD_ARN: secret.secretArn } }, stack)).not.toThrow();
  });

  test('a reference by name is not a literal secret', () => {
    expect(() => build({ environment: { DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf', TOKEN_TTL: '3600' } })).not.toThrow();
  });

  test('an unresolved memory size is left to deploy time', () => {
    const stack = new Stack(new App(), 'Test');
    const memory = new CfnParameter(stack, 'Memory', { type: 'Number' }).valueAsNumber;
    expect(() => build({ memorySize: memory }, stack)).not.toThrow();
  });

  test('a supported runtime that is not the newest of its family warns', () => {
    const fn = build({ runtime: lambda.Runtime.NODEJS_22_X });
    Annotations.fromStack(Stack.of(fn)).hasWarning('/Test/Fn', Match.stringLikeRegexp("'runtime' is 'nodejs22.x' while 'nodejs24.x' is the newest"));
  });

  test('logRetention is honoured on the function log group', () => {
    const stack = new Stack(new App(), 'Test');
    build({ logRetention: logs.RetentionDays.ONE_MONTH }, stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: Match.anyValue() });
  });

  test('a permissions boundary is honoured', () => {
    const stack = new Stack(new App(), 'Test');
    const boundary = new iam.ManagedPolicy(stack, 'Boundary', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
    build({ permissionsBoundary: boundary }, stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }),
      PermissionsBoundary: { Ref: Match.stringLikeRegexp('^Boundary') },
    });
  });
});

describe('props brought over from other function constructs', () => {
  test.each([
    ['entry', 'lambda/orders/index.ts', /'entry' is not a prop of SecureFunction.*lambda\.Code\.fromAsset\(folder\)/],
    ['bundling', { minify: true }, /'bundling' is not a prop of SecureFunction.*bundling: \{ local, image, command \}/],
    ['depsLockFilePath', 'package-lock.json', /'depsLockFilePath'.*install dependencies into the bundle folder/],
    ['initialPolicy', [], /'initialPolicy'.*customer-managed policy/],
    ['events', [], /'events'.*fn\.addEventSource\(source\)/],
    ['logRetentionRole', {}, /'logRetentionRole'.*no LogRetention function/],
    ['filesystem', {}, /'filesystem' is not a prop of SecureFunction.*SecureFunctionProps in API\.md/],
  ])('%s is an error naming the prop and the way to do it', (prop, value, message) => {
    const error = errorOf(() => build({ [prop]: value }));
    expect(error.name).toBe('SecureFunctionValidationError');
    expect(error.message).toMatch(message);
  });

  test('a NodejsFunction renamed to SecureFunction (entry, no code) names entry, never a TypeError', () => {
    const stack = new Stack(new App(), 'Test');
    const error = errorOf(() => new SecureFunction(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'handler', entry: 'src/index.ts' } as unknown as SecureFunctionProps));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/'entry'/);
    // The way that keeps the construct's own bundling.
    expect(error.message).toMatch(/fn\.with\(new LambdaHardening\(\)\)/);
  });

  test.each(['entry', 'bundling', 'depsLockFilePath', 'projectRoot', 'moduleDir'])('%s points at LambdaHardening', (prop) => {
    expect(errorOf(() => build({ [prop]: 'x' })).message).toMatch(/harden it in one line with fn\.with\(new LambdaHardening\(\)\)/);
  });

  test('logGroup is still named as owned, pointing at logRetention', () => {
    const stack = new Stack(new App(), 'Test');
    const logGroup = new logs.LogGroup(stack, 'Logs');
    expect(() => build({ logGroup }, stack)).toThrow(/'logGroup' is owned by SecureFunction.*set logRetention/);
  });
});

describe('logRetention shorter than the controls require', () => {
  test.each([logs.RetentionDays.ONE_WEEK, logs.RetentionDays.SIX_MONTHS])('%s days warns, naming PCI DSS 10.7', (retention) => {
    const fn = build({ logRetention: retention });
    Annotations.fromStack(Stack.of(fn)).hasWarning('/Test/Fn', Match.stringLikeRegexp(`keeps logs ${retention} days: PCI DSS 3.2.1 requirement 10.7`));
  });

  test.each([logs.RetentionDays.ONE_YEAR, logs.RetentionDays.TEN_YEARS, logs.RetentionDays.INFINITE])('%s days does not warn', (retention) => {
    const fn = build({ logRetention: retention });
    expect(Annotations.fromStack(Stack.of(fn)).findWarning('*', Match.stringLikeRegexp('log-retention-short|keeps logs'))).toEqual([]);
  });
});
