import { alarms } from './lambda/lambda-alarms';
import { bakedEnvSecret } from './lambda/lambda-baked-env-secret';
import { capacityProviderCmk } from './lambda/lambda-capacity-provider-cmk';
import { capacityProviderSubnets } from './lambda/lambda-capacity-provider-subnets';
import { codePackageCmk } from './lambda/lambda-code-package-cmk';
import { codeSigning } from './lambda/lambda-code-signing';
import { computeRoleWildcard } from './lambda/lambda-compute-role-wildcard';
import { configRules } from './lambda/lambda-config-rules';
import { deadLetter } from './lambda/lambda-dlq';
import { durableCmk } from './lambda/lambda-durable-cmk';
import { environmentCmk } from './lambda/lambda-env-cmk';
import { environmentLiteralSecret } from './lambda/lambda-env-literal-secret';
import { insideVpc } from './lambda/lambda-inside-vpc';
import { inspectorExcluded } from './lambda/lambda-inspector-excluded';
import { invokeNoSourceCondition } from './lambda/lambda-invoke-no-source-condition';
import { invokePublic } from './lambda/lambda-invoke-public';
import { layerPublic } from './lambda/lambda-layer-public';
import { logGroup } from './lambda/lambda-log-group';
import { logLevelVerbose } from './lambda/lambda-log-level-verbose';
import { microvmImageCapabilities } from './lambda/lambda-microvm-image-capabilities';
import { microvmImageCmk } from './lambda/lambda-microvm-image-cmk';
import { publicSubnet } from './lambda/lambda-public-subnet';
import { recursiveLoopAllowed } from './lambda/lambda-recursive-loop-allowed';
import { reservedConcurrency } from './lambda/lambda-reserved-concurrency';
import { resourcePolicyOpen } from './lambda/lambda-resource-policy-open';
import { roleManagedAdmin } from './lambda/lambda-role-managed-admin';
import { roleWildcard } from './lambda/lambda-role-wildcard';
import { runtimeDeprecated } from './lambda/lambda-runtime-deprecated';
import { runtimeUpdatesManual } from './lambda/lambda-runtime-updates-manual';
import { snapStartCmk } from './lambda/lambda-snapstart-cmk';
import { streamOnFailure } from './lambda/lambda-stream-on-failure';
import { tracing } from './lambda/lambda-tracing';
import { unrestrictedEgress } from './lambda/lambda-unrestricted-egress';
import { urlPublic } from './lambda/lambda-url-public';
import { urlWildcardCors } from './lambda/lambda-url-wildcard-cors';
import { webEndpointAuth } from './lambda/lambda-web-endpoint-auth';
import { webRevisionCmk } from './lambda/lambda-web-revision-cmk';
import { webRevisionEgress } from './lambda/lambda-web-revision-egress';
import { CatalogRule, isFunctionRule, isResourceRule, ResourceRule } from './resource-rule';
import { LambdaRule } from './rule';

/**
 * Every rule, in the order docs/guard-and-rules.md lists them: LambdaRulesAspect, the cdk-nag
 * pack, the Guard rules file and the docs' rules table are all derived from this.
 */
export const CATALOG: readonly CatalogRule[] = Object.freeze([
  // Network
  insideVpc,
  publicSubnet,
  unrestrictedEgress,
  webRevisionEgress,
  capacityProviderSubnets,
  // Invocation
  invokePublic,
  invokeNoSourceCondition,
  urlPublic,
  urlWildcardCors,
  resourcePolicyOpen,
  webEndpointAuth,
  // Identity
  roleWildcard,
  roleManagedAdmin,
  computeRoleWildcard,
  // Data
  environmentLiteralSecret,
  bakedEnvSecret,
  environmentCmk,
  logGroup,
  snapStartCmk,
  durableCmk,
  webRevisionCmk,
  microvmImageCmk,
  capacityProviderCmk,
  // Code
  codeSigning,
  runtimeDeprecated,
  layerPublic,
  runtimeUpdatesManual,
  microvmImageCapabilities,
  // Resilience and visibility
  reservedConcurrency,
  deadLetter,
  tracing,
  streamOnFailure,
  // Beyond the listed controls (warn by default)
  codePackageCmk,
  alarms,
  configRules,
  logLevelVerbose,
  recursiveLoopAllowed,
  inspectorExcluded,
]);

/**
 * The Lambda resource types no rule judges on their own, and why: the audit
 * report lists each one it finds, so none passes unseen.
 */
export const TYPES_WITHOUT_RULES: Readonly<Record<string, string>> = Object.freeze({
  'AWS::Lambda::WebFunction': 'a name and tags only: its endpoints, revisions and resource policy carry what is judged',
  'AWS::Lambda::NetworkConnector': 'the private egress itself: its subnets and security groups decide where the code may go, and Lambda gives its interfaces no public address',
});

/** The catalog's rules about functions, in catalog order. */
export const FUNCTION_RULES: readonly LambdaRule[] = Object.freeze(CATALOG.filter(isFunctionRule));

/** The rules that judge `type`, a Lambda resource type other than a function (none for other types). */
export function resourceRulesFor(type: string): readonly ResourceRule[] {
  return RULES_BY_TYPE.get(type) ?? [];
}

const RULES_BY_TYPE = new Map<string, ResourceRule[]>();
for (const rule of CATALOG.filter(isResourceRule)) {
  for (const type of rule.resourceTypes) {
    RULES_BY_TYPE.set(type, [...(RULES_BY_TYPE.get(type) ?? []), rule]);
  }
}
