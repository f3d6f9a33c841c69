import { Annotations, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { invalidInput, show } from './cfn/errors';
import { checkEnvironmentName, findLiteralSecret } from './rules/data/environment-checks';
import { deprecationDate, newestInFamily } from './rules/data/runtimes';
import { environmentLiteralSecret } from './rules/lambda/lambda-env-literal-secret';
import { reservedConcurrency } from './rules/lambda/lambda-reserved-concurrency';
import { runtimeDeprecated } from './rules/lambda/lambda-runtime-deprecated';
import { cite } from './rules/rule';
import { SecureFunctionProps } from './secure-function-props';

/**
 * `lambda.FunctionProps` that SecureFunction owns. Passing one (possible from
 * JavaScript, or by spreading existing FunctionProps) is an error that says what
 * SecureFunction does instead, so nothing is silently dropped.
 */
const OWNED_PROPS: Record<string, string> = {
  role: 'SecureFunction creates one execution role per function with a customer-managed policy; grant permissions with fn.addToRolePolicy() or resource.grant*(fn), and pass permissionsBoundary for a boundary',
  securityGroups: 'SecureFunction creates the function\'s own security group; open egress with fn.allowEgressTo()',
  allowAllOutbound: 'egress is closed except to the endpoints the function uses; open more with fn.allowEgressTo()',
  allowPublicSubnet: 'functions run in private or isolated subnets only',
  tracing: 'active X-Ray tracing is always on',
  deadLetterQueue: 'SecureFunction creates an encrypted, TLS-only dead-letter queue (fn.deadLetterQueue)',
  deadLetterQueueEnabled: 'the dead-letter queue is always on',
  deadLetterTopic: 'the dead-letter queue is always an encrypted SQS queue',
  environmentEncryption: 'pass encryptionKey',
  logGroup: 'SecureFunction creates an encrypted log group with retention; set logRetention',
  loggingFormat: 'logs are always structured JSON',
  currentVersionOptions: 'every deployment publishes a version behind the alias (fn.alias)',
};

/** The props SecureFunction takes (SecureFunctionProps), for the check of everything else. */
const TAKEN_PROPS = new Set([
  'runtime', 'handler', 'code', 'environment', 'secrets', 'parameters', 'memorySize', 'timeout',
  'reservedConcurrentExecutions', 'vpc', 'vpcSubnets', 'createVpcEndpoints', 'servicesWithoutEndpoint', 'encryptionKey', 'permissionsBoundary',
  'logRetention', 'removalPolicy', 'aliasName', 'description', 'functionName', 'architecture', 'layers',
  'codeSigningConfig', 'signingProfile', 'trustedSigningProfiles', 'untrustedArtifactOnDeployment',
  'allowUnsignedContainerImage', 'alarms', 'alarmThresholds', 'dashboard', 'recordInvocations', 'deploymentConfig', 'unboundCredentialsReason',
  'snapStart', 'durableConfig', 'runtimeManagementMode', 'applicationLogLevelV2', 'systemLogLevelV2', 'ephemeralStorageSize',
  'tenancyConfig', 'ipv6AllowedForDualStack', 'recursiveLoop',
]);

/** The way for a function whose construct bundles its code: keep the construct, harden it. */
const KEEP_BUNDLING = 'keep the construct that bundles it (NodejsFunction, GoFunction, PythonFunction) and harden it in one line with fn.with(new LambdaHardening()) (docs/hardening-any-construct.md); or ';

/** How to do what a prop of another function construct did, for the props users bring over. */
const BROUGHT_OVER: Record<string, string> = {
  entry: `${KEEP_BUNDLING}bundle the entry (esbuild, go build, pip install -t) into a folder and pass code: lambda.Code.fromAsset(folder), which is signed at deploy time (see docs/moving-over.md)`,
  bundling: `${KEEP_BUNDLING}bundle before synthesis and pass code: lambda.Code.fromAsset(folder), or lambda.Code.fromAsset(dir, { bundling: { local, image, command } }) to bundle as CDK stages the asset`,
  depsLockFilePath: `${KEEP_BUNDLING}install dependencies into the bundle folder before lambda.Code.fromAsset(folder)`,
  projectRoot: `${KEEP_BUNDLING}bundle from your project root into a folder and pass lambda.Code.fromAsset(folder)`,
  awsSdkConnectionReuse: 'Node.js 18 and later reuse SDK connections by default; nothing to set',
  index: 'put the handler module in the asset folder and name it in handler, e.g. handler: "index.handler"',
  moduleDir: `${KEEP_BUNDLING}build the module into a folder and pass lambda.Code.fromAsset(folder)`,
  initialPolicy: 'grant with resource.grant*(fn) or fn.addToRolePolicy(statement): statements go into the role\'s customer-managed policy',
  events: 'add each source with fn.addEventSource(source), which sets the failure handling that matches it',
  onFailure: 'fn.configureAsyncInvoke({ onFailure }) (failed events go to fn.deadLetterQueue by default)',
  onSuccess: 'fn.configureAsyncInvoke({ onSuccess })',
  maxEventAge: 'fn.configureAsyncInvoke({ maxEventAge })',
  retryAttempts: 'fn.configureAsyncInvoke({ retryAttempts })',
  logRetentionRole: 'SecureFunction creates its log group with the retention: no LogRetention function is deployed',
  logRetentionRetryOptions: 'SecureFunction creates its log group with the retention: no LogRetention function is deployed',
};

/**
 * Rejects props SecureFunction does not take: from TypeScript a spread of
 * NodejsFunctionProps or FunctionProps compiles, and each would otherwise be
 * silently ignored or fail with a TypeError.
 */
export function rejectUnknownProps(scope: Construct, props: SecureFunctionProps): void {
  for (const [prop, value] of Object.entries(props as unknown as Record<string, unknown>)) {
    if (value === undefined || TAKEN_PROPS.has(prop) || prop in OWNED_PROPS) {
      continue;
    }
    throw invalidInput(
      `SecureFunction ${scope.node.path}: '${prop}'`,
      'is not a prop of SecureFunction (SecureFunctionProps; it would be ignored)',
      show(value),
      BROUGHT_OVER[prop] ?? 'drop it, or see SecureFunctionProps in API.md for the props SecureFunction takes',
    );
  }
}

/** Rejects props SecureFunction owns, whatever language they came from. */
export function rejectOwnedProps(scope: Construct, props: SecureFunctionProps): void {
  const given = props as unknown as Record<string, unknown>;
  for (const [prop, instead] of Object.entries(OWNED_PROPS)) {
    if (given[prop] !== undefined) {
      throw invalidInput(`SecureFunction ${scope.node.path}: '${prop}'`, 'is owned by SecureFunction and cannot be set', show(given[prop]), instead);
    }
  }
}

/** Checks sizes and limits against Lambda's quotas. */
export function checkLimits(scope: Construct, props: SecureFunctionProps): void {
  const where = `SecureFunction ${scope.node.path}:`;
  const memory = props.memorySize;
  if (memory !== undefined && !Token.isUnresolved(memory) && (!Number.isInteger(memory) || memory < 128 || memory > 10240)) {
    throw invalidInput(`${where} 'memorySize'`, 'must be a whole number of MB between 128 and 10240 (Lambda quota)', show(memory), 'choose a value in that range, e.g. 256');
  }
  const timeout = props.timeout;
  if (timeout !== undefined && !timeout.isUnresolved()) {
    const seconds = timeout.toMilliseconds() / 1000;
    if (seconds < 1 || seconds > 900 || !Number.isInteger(seconds)) {
      throw invalidInput(`${where} 'timeout'`, 'must be a whole number of seconds between 1 second and 15 minutes (Lambda quota)', `${seconds} seconds`, 'e.g. Duration.seconds(30)');
    }
  }
  const concurrency = props.reservedConcurrentExecutions;
  if (concurrency !== undefined && !Token.isUnresolved(concurrency) && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw invalidInput(
      `${where} 'reservedConcurrentExecutions'`,
      `must be a whole number of at least 1 (${cite(reservedConcurrency)}: 0 throttles every invocation and no reservation leaves the function unbounded)`,
      show(concurrency),
      'reserve what the function needs at peak, e.g. 5; the account keeps 100 executions unreserved, so large values fail at deploy',
    );
  }
}

/** Refuses deprecated runtimes and warns about a runtime that is not the newest of its family. */
export function checkRuntime(scope: Construct, runtime: lambda.Runtime): void {
  const deprecated = deprecationDate(runtime);
  const newest = newestInFamily(runtime);
  if (deprecated) {
    throw invalidInput(
      `SecureFunction ${scope.node.path}: 'runtime'`,
      `must be supported by Lambda (${cite(runtimeDeprecated)}: deprecated since ${deprecated}, it no longer receives security patches)`,
      `'${runtime.name}'`,
      `use ${newest ? `'${newest}' (lambda.Runtime for that version)` : 'a supported runtime'}`,
    );
  }
  if (newest && newest !== runtime.name && !runtime.name.startsWith('provided')) {
    Annotations.of(scope).addWarningV2(
      'cdk-secure-function:runtime-not-newest',
      `'runtime' is '${runtime.name}' while '${newest}' is the newest of its family; AwsSolutions-L1 and Serverless-LambdaLatestVersion will flag it.`,
    );
  }
}

/**
 * Builds the environment: the user's variables (checked for literal secrets and
 * valid names) plus one variable per secret (its ARN) and parameter (its name).
 */
export function buildEnvironment(scope: Construct, props: SecureFunctionProps): Record<string, string> {
  const where = `SecureFunction ${scope.node.path}:`;
  const env: Record<string, string> = {};
  const origin: Record<string, string> = {};
  const add = (prop: string, name: string, value: string) => {
    const nameFinding = checkEnvironmentName(name);
    if (nameFinding) {
      throw invalidInput(`${where} '${prop}' variable '${name}'`, `is not a valid Lambda environment variable name: ${nameFinding.description}`, `'${name}'`, 'use letters, digits and underscores, starting with a letter, and none of the names Lambda reserves');
    }
    if (origin[name] !== undefined) {
      throw invalidInput(`${where} '${prop}' variable '${name}'`, `collides with the same variable in '${origin[name]}'`, `'${name}' twice`, 'give each variable one source');
    }
    origin[name] = prop;
    env[name] = value;
  };
  for (const [name, value] of Object.entries(props.environment ?? {})) {
    if (!Token.isUnresolved(value)) {
      const secret = findLiteralSecret(name, value);
      if (secret) {
        throw invalidInput(
          `${where} 'environment' variable '${name}'`,
          `must not hold a secret in plain text (${cite(environmentLiteralSecret)}: ${secret.description})`,
          'a literal value',
          `store it in Secrets Manager and pass secrets: { ${name}: secret } (the variable then carries the secret's ARN), or use parameters for a SecureString`,
        );
      }
    }
    add('environment', name, value);
  }
  for (const [name, secret] of Object.entries(props.secrets ?? {})) {
    add('secrets', name, secret.secretArn);
  }
  for (const [name, parameter] of Object.entries(props.parameters ?? {})) {
    add('parameters', name, parameter.parameterName);
  }
  return env;
}
