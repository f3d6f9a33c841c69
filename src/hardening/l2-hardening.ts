import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { applySignedCode } from './existing-code';
import { pollerGrantsOf } from './existing-grants';
import { HardenedFunction } from './hardened-function';
import { checkBeforeHardening } from './hardening-checks';
import { HardeningKit } from './hardening-kit';
import { HardeningOptions } from './hardening-options';
import { applySizing } from './sizing';
import { eventDeliveryOf } from '../aspects/stack-aspects';
import { memoizeVersionId } from '../cfn/version-id-memo';
import { convertRole } from '../iam/role-conversion';
import { FunctionIntegrations } from '../integrations/function-integrations';
import { addSourceAccount, checkFunctionUrlOptions, securePermission } from '../integrations/invoke-permissions';
import { placeInVpc, selectPrivateSubnets } from '../network/placement';
import { SecureFunctionAuditReport } from '../report/secure-function-audit-report';
import { signFunctionCode } from '../signing/function-code';
import { signLayers } from '../signing/layer-signing';

/** What hardening a function made, and how later additions are hardened. */
export interface HardeningResult {
  /** What the function was given. */
  readonly hardened: HardenedFunction;
  /** How integrations added later are hardened. */
  readonly integrations: FunctionIntegrations;
  /** Signs layers added later. */
  readonly signLayers: (layers: lambda.ILayerVersion[]) => void;
}

/**
 * Hardens an existing lambda.Function (NodejsFunction, GoFunction,
 * PythonFunction, DockerImageFunction, the function of a SingletonFunction,
 * or one a third-party construct made) with the controls a SecureFunction
 * has, built by the same code: its role becomes a role of this library in
 * place, it moves into private subnets with egress closed, its logs, dead
 * letters, environment and code package use the customer-managed key, its
 * asset is signed at deploy time, and what is added to it later (grants,
 * event sources, permissions, URLs, layers, async invocation) is hardened as
 * it is added. Its own code and bundling stay as they are.
 *
 * Everything is checked before anything changes (hardening-checks.ts), so a
 * refusal leaves the function as it was.
 */
export function hardenLambdaFunction(fn: lambda.Function, props: HardeningOptions): HardeningResult {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const { label, source, existing, placement, wired } = checkBeforeHardening(fn, props);

  existing.remove();
  placement.apply();
  const kit = new HardeningKit(fn, label, {
    ...props,
    vpc: placement.vpc ?? props.vpc,
    logRetention: props.logRetention ?? existing.logRetention,
  }, { logGroup: existing.logGroup });
  const role = convertRole(fn.role!, {
    label,
    routing: kit.routing,
    permissionsBoundary: props.permissionsBoundary,
    sharedPolicies: [kit.baseline.runtimePolicy],
    isServiceGrant: pollerGrantsOf(fn, wired.mappings),
  });

  const subnets = placement.subnets ?? selectPrivateSubnets(label, kit.vpc, props.vpcSubnets);
  const securityGroup = placement.securityGroup ?? kit.newSecurityGroup(fn);
  if (!placement.securityGroup) {
    placeInVpc(fn, kit.vpc, subnets, [securityGroup]);
  }

  const layers = existingLayers(fn, cfn);
  const signed = signFunctionCode(fn, `${label}:`, source, { ...props, layers }, () => kit.baseline.codeSigning);
  applySignedCode(cfn, signed);
  if (signed.versionSalt) {
    fn.invalidateVersionBasedOn(signed.versionSalt);
  }

  const timeout = applySizing(cfn, props);
  kit.attach({
    function: fn,
    resource: cfn,
    role,
    subnets,
    securityGroup,
    timeout,
    reservedConcurrentExecutions: cfn.reservedConcurrentExecutions as number,
  });

  const alias = props.aliasName !== undefined || props.deploymentConfig !== undefined ? aliasFor(fn, props.aliasName) : undefined;
  eventDeliveryOf(fn).watch(fn.functionArn, kit.deadLetterQueue, kit.key);
  const observability = kit.observe(fn, alias);
  SecureFunctionAuditReport.of(fn);

  const integrations = new FunctionIntegrations(kit, fn);
  wired.mappings.forEach((mapping) => integrations.hardenMapping(mapping));
  wired.permissions.forEach((permission) => addSourceAccount(permission));
  return {
    hardened: {
      function: fn,
      encryptionKey: kit.key,
      logGroup: kit.logGroup,
      deadLetterQueue: kit.deadLetterQueue,
      securityGroup,
      vpc: kit.vpc,
      version: alias?.version,
      alias,
      alarms: observability.alarms,
    },
    integrations,
    signLayers: (added) => {
      // With the function's own profile, which its code-signing config allows (checked for its asset).
      const salts = signLayers(fn, added, {
        profile: () => props.signingProfile ?? kit.baseline.codeSigning.profile,
        codeSigning: () => kit.baseline.codeSigning,
        allows: () => true,
        configProp: 'trustedSigningProfiles',
      });
      if (salts.length) {
        fn.invalidateVersionBasedOn(salts.join('|'));
      }
    },
  };
}

/** The function's layers, as constructs of the app where they are (imported ones by ARN). */
function existingLayers(fn: lambda.Function, cfn: lambda.CfnFunction): lambda.ILayerVersion[] {
  const stack = Stack.of(fn);
  const arns = (stack.resolve(cfn.layers) as unknown[] | undefined) ?? [];
  const defined = stack.node.findAll().filter((c): c is lambda.LayerVersion => c instanceof lambda.LayerVersion);
  return arns.map((arn, i) => defined.find((layer) => JSON.stringify(stack.resolve(layer.layerVersionArn)) === JSON.stringify(arn))
    ?? lambda.LayerVersion.fromLayerVersionArn(fn, `ExistingLayer${i}`, typeof arn === 'string' ? arn : JSON.stringify(arn)));
}

/**
 * The version this deployment publishes and an alias on it, when asked for
 * (aliasName, deploymentConfig) and the function has no aliases of its own.
 * Integrations invoke the function they are given, which for a hardened
 * function is its unqualified ARN: an alias nobody is granted to invoke only
 * earns CDK's warning that permissions on the function do not cover it.
 */
function aliasFor(fn: lambda.Function, aliasName: string | undefined): lambda.Alias | undefined {
  if (fn.node.findAll().some((c) => c instanceof lambda.Alias)) {
    return undefined;
  }
  const version = fn.currentVersion;
  memoizeVersionId(version);
  return new lambda.Alias(fn, 'Alias', { aliasName: aliasName ?? 'live', version });
}

/**
 * Makes what the app adds to `target` later hardened as it is added: event
 * sources and mappings, permissions, function URLs, asynchronous invocation,
 * layers. `target` is the function, or the SingletonFunction that stands for it.
 */
export function hardenAdditions(target: lambda.FunctionBase, hardened: HardeningResult): void {
  const original = {
    addEventSourceMapping: target.addEventSourceMapping.bind(target),
    addPermission: target.addPermission.bind(target),
    addFunctionUrl: target.addFunctionUrl.bind(target),
    configureAsyncInvoke: target.configureAsyncInvoke.bind(target),
  };
  const integrations = hardened.integrations;
  Object.assign(target, {
    addEventSource: (source: lambda.IEventSource) => integrations.addEventSource(target, source),
    addEventSourceMapping: (id: string, options: lambda.EventSourceMappingOptions) => {
      const mapping = original.addEventSourceMapping(id, options);
      integrations.hardenMapping(mapping);
      return mapping;
    },
    addPermission: (id: string, permission: lambda.Permission) => original.addPermission(id, securePermission(target, id, permission)),
    addFunctionUrl: (options: lambda.FunctionUrlOptions = {}) => {
      checkFunctionUrlOptions(target, options);
      return original.addFunctionUrl({ ...options, authType: lambda.FunctionUrlAuthType.AWS_IAM });
    },
    configureAsyncInvoke: (options: lambda.EventInvokeConfigOptions) => integrations.configureAsyncInvoke(options, original.configureAsyncInvoke),
  });
  if (target instanceof lambda.Function) {
    const addLayers = target.addLayers.bind(target);
    Object.assign(target, {
      addLayers: (...layers: lambda.ILayerVersion[]) => {
        hardened.signLayers(layers);
        addLayers(...layers);
      },
    });
  }
}
