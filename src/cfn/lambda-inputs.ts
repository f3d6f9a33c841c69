import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { invalidInput, show } from './errors';

/*
 * What the Lambda API checks when it creates a function and its alias
 * (CreateFunction, CreateAlias: lengths and patterns of the API reference),
 * checked at synthesis instead, so that a deployment does not fail half-way.
 * Values decided at deployment (tokens) are not judged.
 */

/** The constraints, as the API reference states them. */
export const LAMBDA_INPUTS = {
  functionName: { pattern: /^[a-zA-Z0-9_-]{1,64}$/, says: '1 to 64 letters, digits, hyphens and underscores' },
  aliasName: { pattern: /^(?!\d+$)[a-zA-Z0-9_-]{1,128}$/, says: '1 to 128 letters, digits, hyphens and underscores, not digits only (that would be a version)' },
  handler: { pattern: /^\S{1,128}$/, says: '1 to 128 characters without whitespace (module.function, or Class::method)' },
  description: { maxLength: 256 },
  /** Every variable's name and value together (Lambda's quota). */
  environmentBytes: 4096,
  layers: 5,
};

/** A text input against its pattern. */
function checkPattern(where: string, prop: string, value: string | undefined, rule: { pattern: RegExp; says: string }, fix: string): void {
  if (value === undefined || Token.isUnresolved(value) || rule.pattern.test(value)) {
    return;
  }
  throw invalidInput(`${where} '${prop}'`, `must be ${rule.says} (Lambda API)`, show(value), fix);
}

/** A function's name. */
export function checkFunctionName(where: string, name: string | undefined): void {
  checkPattern(where, 'functionName', name, LAMBDA_INPUTS.functionName, "e.g. 'orders-api'; or leave it unset for a generated name");
}

/** An alias's name. */
export function checkAliasName(where: string, name: string | undefined): void {
  checkPattern(where, 'aliasName', name, LAMBDA_INPUTS.aliasName, "e.g. 'live' (the default) or 'prod'");
}

/** A handler. */
export function checkHandler(where: string, handler: string | undefined): void {
  checkPattern(where, 'handler', handler, LAMBDA_INPUTS.handler, "e.g. 'index.handler' or 'com.example.Handler::handleRequest'");
}

/** A description. */
export function checkDescription(where: string, description: string | undefined): void {
  const max = LAMBDA_INPUTS.description.maxLength;
  if (description !== undefined && !Token.isUnresolved(description) && description.length > max) {
    throw invalidInput(`${where} 'description'`, `must be at most ${max} characters (Lambda API)`, `${description.length} characters`, 'shorten it');
  }
}

/** The environment's size: names and values in UTF-8; values decided at deployment are counted by their names only. */
export function checkEnvironmentSize(where: string, environment: Record<string, string>): void {
  const bytes = Object.entries(environment)
    .reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + (Token.isUnresolved(value) ? 0 : Buffer.byteLength(value)), 0);
  if (bytes > LAMBDA_INPUTS.environmentBytes) {
    throw invalidInput(`${where} 'environment'`, `must fit in ${LAMBDA_INPUTS.environmentBytes} bytes, names and values together (Lambda quota)`, `${bytes} bytes`,
      'move large values to Parameter Store (parameters) or Secrets Manager (secrets): the variable then carries a name or an ARN');
  }
}

/** The number of layers. */
export function checkLayerCount(where: string, count: number): void {
  if (count > LAMBDA_INPUTS.layers) {
    throw invalidInput(`${where} 'layers'`, `must be at most ${LAMBDA_INPUTS.layers} (Lambda quota)`, `${count} layers`, 'merge layers, or bundle the dependencies into the code');
  }
}

/**
 * A secret of another account: its reader needs the secret's own key, which
 * that account's key policy must share (the AWS managed key of Secrets Manager
 * cannot be used across accounts), so the key must be named. Decided where
 * the stack's account is known (an env-agnostic stack may be that account).
 */
export function checkForeignSecret(where: string, scope: IConstruct, envVar: string, secret: secretsmanager.ISecret): void {
  if (Token.isUnresolved(secret.secretArn)) {
    return;
  }
  const account = Arn.split(secret.secretArn, ArnFormat.COLON_RESOURCE_NAME).account;
  const own = Stack.of(scope).account;
  if (account && !Token.isUnresolved(account) && !Token.isUnresolved(own) && account !== own && !secret.encryptionKey) {
    throw invalidInput(`${where} 'secrets' variable '${envVar}'`,
      `is a secret of account ${account}, read across accounts: only a customer-managed key shared by that account's key policy can decrypt it, and none is named`,
      show(secret.secretArn),
      'import it with secretsmanager.Secret.fromSecretAttributes(scope, id, { secretCompleteArn, encryptionKey: kms.Key.fromKeyArn(...) }), the key that account shares with this one');
  }
}
