import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as fc from 'fast-check';
import { LambdaHardening, SecureFunction, SecureFunctionProps } from '../../src';
import { LAMBDA_INPUTS } from '../../src/cfn/lambda-inputs';
import { HANDLER_ASSET, minimalProps } from '../support/fixtures';

const ENV = { account: '111111111111', region: 'eu-west-1' };

/** The error building a SecureFunction with `overrides` throws, or undefined. */
function errorOf(overrides: Partial<SecureFunctionProps>, env?: typeof ENV): Error | undefined {
  try {
    new SecureFunction(new Stack(new App(), 'Test', { env }), 'Fn', { ...minimalProps(), ...overrides });
  } catch (e) {
    return e as Error;
  }
  return undefined;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
const validName = (max: number) => fc.string({ unit: fc.constantFrom(...LETTERS), minLength: 1, maxLength: max });
/** A name with one character the API refuses, somewhere. */
const withForbidden = (max: number) => fc.tuple(validName(max - 1), fc.constantFrom(' ', '.', '/', ':', '$', 'é', '*', '\t'), fc.nat())
  .map(([name, bad, at]) => { const i = at % (name.length + 1); return name.slice(0, i) + bad + name.slice(i); });

describe('SecureFunction checks its inputs as the Lambda API does, before anything is built', () => {
  test.each([
    ['functionName too long', { functionName: 'f'.repeat(65) }, /'functionName' must be 1 to 64 letters, digits, hyphens and underscores \(Lambda API\), got 'f{57}\.\.\.'/],
    ['functionName with a dot', { functionName: 'orders.api' }, /'functionName'.*got 'orders.api'/],
    ['an alias of digits only (a version)', { aliasName: '42' }, /'aliasName' must be 1 to 128 .*not digits only.*got '42'/],
    ['an alias with a space', { aliasName: 'blue green' }, /'aliasName'.*got 'blue green'/],
    ['an empty handler', { handler: '' }, /'handler' must be 1 to 128 characters without whitespace/],
    ['a handler with a space', { handler: 'index. handler' }, /'handler'.*got 'index. handler'/],
    ['a description of 257 characters', { description: 'd'.repeat(257) }, /'description' must be at most 256 characters \(Lambda API\), got 257 characters/],
    ['an environment over 4 KB', { environment: { BIG: 'x'.repeat(4100) } }, /'environment' must fit in 4096 bytes.*got 4103 bytes/],
    ['six layers', { layers: Array.from({ length: 6 }, (_, i) => lambda.LayerVersion.fromLayerVersionArn(new Stack(), `L${i}`, `arn:aws:lambda:eu-west-1:111111111111:layer:l${i}:1`)) },
      /'layers' must be at most 5 \(Lambda quota\), got 6 layers/],
  ] as Array<[string, Partial<SecureFunctionProps>, RegExp]>)('%s', (_name, overrides, message) => {
    const error = errorOf(overrides);
    expect(error?.name).toBe('SecureFunctionValidationError');
    expect(error?.message).toMatch(message);
  });

  test('a secret of another account needs its key named; with it, or in the same account, it is read', () => {
    const foreign = 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:db-AbCdEf';
    const stackFor = () => new Stack(new App(), 'Test', { env: ENV });
    const refused = () => {
      const stack = stackFor();
      new SecureFunction(stack, 'Fn', minimalProps({ secrets: { DB: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Db', foreign) } }));
    };
    expect(refused).toThrow(/'secrets' variable 'DB' is a secret of account 222222222222, read across accounts: .*Fix: import it with secretsmanager.Secret.fromSecretAttributes/);
    const named = stackFor();
    new SecureFunction(named, 'Fn', minimalProps({
      secrets: { DB: secretsmanager.Secret.fromSecretAttributes(named, 'Db', { secretCompleteArn: foreign, encryptionKey: kms.Key.fromKeyArn(named, 'Key', 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab') }) },
    }));
    const own = stackFor();
    new SecureFunction(own, 'Fn', minimalProps({ secrets: { DB: secretsmanager.Secret.fromSecretCompleteArn(own, 'Db', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf') } }));
  });

  test('LambdaHardening checks the alias it would create', () => {
    const stack = new Stack(new App(), 'Test');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) });
    expect(() => fn.with(new LambdaHardening({ aliasName: '7' }))).toThrow(/LambdaHardening Test\/Fn: 'aliasName' must be 1 to 128 .*got '7'/);
  });
});

describe('property: every value the API refuses is refused at synthesis, every value it takes is taken', () => {
  test('function and alias names with a character the API refuses, or too long', () => {
    fc.assert(fc.property(fc.oneof(withForbidden(64), fc.tuple(validName(20), fc.integer({ min: 65, max: 140 })).map(([n, length]) => n.padEnd(length, 'x'))), (name) => {
      expect(LAMBDA_INPUTS.functionName.pattern.test(name)).toBe(false);
      expect(errorOf({ functionName: name })?.message).toMatch(/'functionName' must be/);
    }), { numRuns: 25 });
    fc.assert(fc.property(fc.oneof(withForbidden(128), fc.stringMatching(/^\d{1,10}$/)), (name) => {
      expect(errorOf({ aliasName: name })?.message).toMatch(/'aliasName' must be/);
    }), { numRuns: 25 });
  });

  test('valid names pass the check', () => {
    fc.assert(fc.property(validName(64), (name) => {
      expect(LAMBDA_INPUTS.functionName.pattern.test(name)).toBe(true);
    }), { numRuns: 200 });
    fc.assert(fc.property(validName(128).filter((n) => !/^\d+$/.test(n)), (name) => {
      expect(LAMBDA_INPUTS.aliasName.pattern.test(name)).toBe(true);
    }), { numRuns: 200 });
  });

  test('handlers with whitespace, or longer than 128 characters', () => {
    fc.assert(fc.property(fc.oneof(
      fc.tuple(validName(60), fc.constantFrom(' ', '\t', '\n'), validName(60)).map(([a, ws, b]) => `${a}${ws}${b}`),
      fc.tuple(fc.string({ unit: fc.constantFrom('a', '.', ':'), minLength: 1, maxLength: 20 }), fc.integer({ min: 129, max: 300 })).map(([h, length]) => h.padEnd(length, 'a')),
    ), (handler) => {
      expect(errorOf({ handler })?.message).toMatch(/'handler' must be 1 to 128 characters without whitespace/);
    }), { numRuns: 20 });
  });
});
