import { Annotations, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { invalidInput, show } from './cfn/errors';
import { checkAliasName, checkDescription, checkEnvironmentSize, checkForeignSecret, checkFunctionName, checkHandler, checkLayerCount } from './cfn/lambda-inputs';
import { findAcknowledgment } from './rules/acknowledgments';
import { logLevelVerbose, VERBOSE_LEVELS } from './rules/lambda/lambda-log-level-verbose';
import { recursiveLoopAllowed } from './rules/lambda/lambda-recursive-loop-allowed';
import { runtimeUpdatesManual } from './rules/lambda/lambda-runtime-updates-manual';
import { cite } from './rules/rule';
import { SecureFunctionProps } from './secure-function-props';

/** Ephemeral storage Lambda offers, in MiB; SnapStart takes up to the default. */
const EPHEMERAL_MIB = { min: 512, max: 10240, snapStart: 512 };

/** Durable executions: how long one may run (seconds) and how long its history is kept (days). */
const DURABLE_LIMITS = { timeoutSeconds: { min: 1, max: 31_622_400 }, retentionDays: { min: 1, max: 90 } };

/**
 * The settings of lambda.FunctionProps SecureFunction passes on as given
 * (checked by checkNewerSettings); ipv6AllowedForDualStack goes with the VPC
 * placement (placeDualStack), as lambda.Function takes it only with `vpc`.
 */
export type NewerSettings = Pick<lambda.FunctionProps,
'snapStart' | 'durableConfig' | 'runtimeManagementMode' | 'applicationLogLevelV2' | 'systemLogLevelV2' | 'loggingFormat'
| 'ephemeralStorageSize' | 'tenancyConfig' | 'recursiveLoop'>;

/** The newer Lambda settings, for lambda.Function (log levels need JSON logs, which SecureFunction writes anyway). */
export function newerSettings(props: SecureFunctionProps): NewerSettings {
  const levels = props.applicationLogLevelV2 !== undefined || props.systemLogLevelV2 !== undefined;
  return {
    snapStart: props.snapStart,
    durableConfig: props.durableConfig,
    runtimeManagementMode: props.runtimeManagementMode,
    applicationLogLevelV2: props.applicationLogLevelV2,
    systemLogLevelV2: props.systemLogLevelV2,
    loggingFormat: levels ? lambda.LoggingFormat.JSON : undefined,
    ephemeralStorageSize: props.ephemeralStorageSize,
    tenancyConfig: props.tenancyConfig,
    recursiveLoop: props.recursiveLoop,
  };
}

/** Lets a function placed in a VPC reach IPv6 addresses of dual-stack subnets (its security group decides where). */
export function placeDualStack(resource: lambda.CfnFunction, allowed: boolean | undefined): void {
  if (allowed !== undefined) {
    resource.addPropertyOverride('VpcConfig.Ipv6AllowedForDualStack', allowed);
  }
}

/**
 * Checks the newer settings before anything is built: what Lambda rejects at
 * deployment, and the combinations it does not offer, each named with the fix.
 * Warns of the settings the catalog warns about.
 */
export function checkNewerSettings(scope: Construct, props: SecureFunctionProps): void {
  const where = `SecureFunction ${scope.node.path}:`;
  const storage = props.ephemeralStorageSize;
  const storageMib = storage && !storage.isUnresolved() ? storage.toKibibytes() / 1024 : undefined;
  if (storageMib !== undefined && (!Number.isInteger(storageMib) || storageMib < EPHEMERAL_MIB.min || storageMib > EPHEMERAL_MIB.max)) {
    throw invalidInput(`${where} 'ephemeralStorageSize'`, `must be a whole number of MiB between ${EPHEMERAL_MIB.min} and ${EPHEMERAL_MIB.max} (Lambda quota)`, `${storageMib} MiB`, 'e.g. Size.mebibytes(1024)');
  }
  if (props.snapStart) {
    if (!props.runtime.supportsSnapStart) {
      throw invalidInput(`${where} 'snapStart'`, 'needs a runtime SnapStart supports (Java 11 and later, Python 3.12 and later, .NET 8 and later)', show(props.runtime.name),
        'use such a runtime, or leave snapStart unset');
    }
    if (props.code instanceof lambda.EcrImageCode || props.code instanceof lambda.AssetImageCode) {
      throw invalidInput(`${where} 'snapStart'`, 'is not offered for container images', 'an image', 'deploy the code as a .zip (lambda.Code.fromAsset), or leave snapStart unset');
    }
    if (props.tenancyConfig) {
      throw invalidInput(`${where} 'snapStart'`, 'cannot be used with tenancyConfig (a snapshot would be shared between tenants)', 'tenancyConfig PER_TENANT', 'choose one of them');
    }
    if (storageMib !== undefined && storageMib > EPHEMERAL_MIB.snapStart) {
      throw invalidInput(`${where} 'ephemeralStorageSize'`, `must be at most ${EPHEMERAL_MIB.snapStart} MiB with snapStart`, `${storageMib} MiB`, `keep /tmp at ${EPHEMERAL_MIB.snapStart} MiB, or leave snapStart unset`);
    }
  }
  checkDurable(where, props.durableConfig);
  for (const [prop, level] of [['applicationLogLevelV2', props.applicationLogLevelV2], ['systemLogLevelV2', props.systemLogLevelV2]] as const) {
    if (level !== undefined && VERBOSE_LEVELS.includes(level)) {
      Annotations.of(scope).addWarningV2(`cdk-secure-function:${logLevelVerbose.id}`,
        `'${prop}' is ${level} (${cite(logLevelVerbose)}): requests, payloads and configuration go to the logs for the retention period. Use INFO or above in production.`);
    }
  }
  if (props.recursiveLoop === lambda.RecursiveLoop.ALLOW) {
    Annotations.of(scope).addWarningV2(`cdk-secure-function:${recursiveLoopAllowed.id}`,
      `'recursiveLoop' is ALLOW (${cite(recursiveLoopAllowed)}): Lambda will not stop a loop through SQS, SNS or S3; keep it only where the loop is by design.`);
  }
  if (props.runtimeManagementMode?.mode === 'Manual') {
    // Acknowledgments are made once the construct exists: decided when the app is validated.
    scope.node.addValidation({
      validate: () => {
        const resource = scope.node.tryFindChild('Function')?.node.defaultChild;
        const ack = resource && findAcknowledgment(runtimeUpdatesManual.id, resource as never, scope);
        return ack ? [] : [
          `${where} 'runtimeManagementMode' is Manual (${cite(runtimeUpdatesManual)}: the runtime gets no security patches until it is changed). `
          + `Fix: leave it unset (Auto) or use RuntimeManagementMode.FUNCTION_UPDATE; for a rollback, acknowledge it with the reason: Validations.of(fn).acknowledge({ id: '${runtimeUpdatesManual.id}', reason }).`,
        ];
      },
    });
  }
}

function checkDurable(where: string, durable: lambda.DurableConfig | undefined): void {
  if (!durable) {
    return;
  }
  const seconds = secondsOf(durable.executionTimeout);
  const { timeoutSeconds, retentionDays } = DURABLE_LIMITS;
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < timeoutSeconds.min || seconds > timeoutSeconds.max)) {
    throw invalidInput(`${where} 'durableConfig.executionTimeout'`, `must be a whole number of seconds between ${timeoutSeconds.min} and ${timeoutSeconds.max} (366 days)`, `${seconds} seconds`, 'e.g. Duration.days(1)');
  }
  const retention = durable.retentionPeriod;
  if (retention && !retention.isUnresolved()) {
    const days = retention.toHours() / 24;
    if (!Number.isInteger(days) || days < retentionDays.min || days > retentionDays.max) {
      throw invalidInput(`${where} 'durableConfig.retentionPeriod'`, `must be a whole number of days between ${retentionDays.min} and ${retentionDays.max}`, `${days} days`, 'e.g. Duration.days(14)');
    }
  }
}

function secondsOf(duration: Duration): number | undefined {
  return duration.isUnresolved() ? undefined : duration.toMilliseconds() / 1000;
}

/**
 * Refuses what tenant isolation does not offer: event sources other than API
 * Gateway (which invokes through a permission, not a source) and function URLs.
 *
 * @param what what is being added, as the error names it (`an SQS event source`)
 */
export function refuseWithTenancy(scope: Construct, tenancy: lambda.TenancyConfig | undefined, method: string, what: string): void {
  if (tenancy) {
    throw invalidInput(`SecureFunction ${scope.node.path}: '${method}'`,
      'is not offered with tenancyConfig (tenant isolation takes synchronous invocations with a tenant id only: API Gateway, or the SDK)', what,
      'invoke the function with a tenant id from API Gateway or your own code, or use a function without tenancyConfig for this source');
  }
}

/** Names, lengths and quotas as the Lambda API checks them, and secrets of other accounts, before anything is built. */
export function checkFunctionInputs(scope: Construct, props: SecureFunctionProps, environment: Record<string, string>): void {
  const where = `SecureFunction ${scope.node.path}:`;
  checkFunctionName(where, props.functionName);
  checkAliasName(where, props.aliasName);
  checkHandler(where, props.handler);
  checkDescription(where, props.description);
  checkEnvironmentSize(where, environment);
  checkLayerCount(where, props.layers?.length ?? 0);
  for (const [envVar, secret] of Object.entries(props.secrets ?? {})) {
    checkForeignSecret(where, scope, envVar, secret);
  }
}
