import { GuardContext } from './guard-dsl';
import { propertyTwin } from './property-twins';
import { alarmsGuard } from './twins/lambda-alarms.guard';
import { bakedEnvSecretGuard } from './twins/lambda-baked-env-secret.guard';
import { codeSigningGuard } from './twins/lambda-code-signing.guard';
import { configRulesGuard } from './twins/lambda-config-rules.guard';
import { deadLetterGuard } from './twins/lambda-dlq.guard';
import { environmentLiteralSecretGuard } from './twins/lambda-env-literal-secret.guard';
import { insideVpcGuard } from './twins/lambda-inside-vpc.guard';
import { inspectorExcludedGuard } from './twins/lambda-inspector-excluded.guard';
import { invokeNoSourceConditionGuard } from './twins/lambda-invoke-no-source-condition.guard';
import { invokePublicGuard } from './twins/lambda-invoke-public.guard';
import { logGroupGuard } from './twins/lambda-log-group.guard';
import { logLevelVerboseGuard } from './twins/lambda-log-level-verbose.guard';
import { microvmImageCapabilitiesGuard } from './twins/lambda-microvm-image-capabilities.guard';
import { publicSubnetGuard, publicSubnetsGuard } from './twins/lambda-public-subnet.guard';
import { resourcePolicyOpenGuard } from './twins/lambda-resource-policy-open.guard';
import { roleManagedAdminGuard } from './twins/lambda-role-managed-admin.guard';
import { roleWildcardGuard, roleWildcardOf } from './twins/lambda-role-wildcard.guard';
import { runtimeDeprecatedGuard } from './twins/lambda-runtime-deprecated.guard';
import { unrestrictedEgressGuard } from './twins/lambda-unrestricted-egress.guard';
import { urlPublicGuard } from './twins/lambda-url-public.guard';
import { urlWildcardCorsGuard } from './twins/lambda-url-wildcard-cors.guard';
import * as alarmsRule from '../rules/lambda/lambda-alarms';
import { BAKED_VARIABLES, bakedEnvSecret } from '../rules/lambda/lambda-baked-env-secret';
import { capacityProviderSubnets } from '../rules/lambda/lambda-capacity-provider-subnets';
import { codeSigning } from '../rules/lambda/lambda-code-signing';
import { COMPUTE_ROLES, computeRoleWildcard } from '../rules/lambda/lambda-compute-role-wildcard';
import { configRules } from '../rules/lambda/lambda-config-rules';
import { deadLetter } from '../rules/lambda/lambda-dlq';
import { environmentLiteralSecret } from '../rules/lambda/lambda-env-literal-secret';
import { insideVpc } from '../rules/lambda/lambda-inside-vpc';
import { INSPECTOR_EXCLUSION_TAGS, inspectorExcluded } from '../rules/lambda/lambda-inspector-excluded';
import * as noSourceRule from '../rules/lambda/lambda-invoke-no-source-condition';
import { invokePublic } from '../rules/lambda/lambda-invoke-public';
import { logGroup } from '../rules/lambda/lambda-log-group';
import * as logLevelRule from '../rules/lambda/lambda-log-level-verbose';
import { FORBIDDEN_CAPABILITIES, microvmImageCapabilities } from '../rules/lambda/lambda-microvm-image-capabilities';
import { publicSubnet } from '../rules/lambda/lambda-public-subnet';
import * as resourcePolicyRule from '../rules/lambda/lambda-resource-policy-open';
import * as managedAdminRule from '../rules/lambda/lambda-role-managed-admin';
import * as roleWildcardRule from '../rules/lambda/lambda-role-wildcard';
import { runtimeDeprecated } from '../rules/lambda/lambda-runtime-deprecated';
import * as egressRule from '../rules/lambda/lambda-unrestricted-egress';
import { urlPublic } from '../rules/lambda/lambda-url-public';
import { urlWildcardCors } from '../rules/lambda/lambda-url-wildcard-cors';
import { isPropertyRule } from '../rules/property-rule';
import { CatalogRule } from '../rules/resource-rule';

/** Writes the Guard rule of a catalog rule (see GuardContext for the contract). */
export type GuardTwin = (ctx: GuardContext) => string;

/**
 * The Guard twins written by hand, by rule id: the rules that judge more than
 * the function's own properties (what refers to it, its role's policies, its
 * security groups, the stack). Each takes its data from the rule itself.
 */
const WRITTEN: Readonly<Record<string, GuardTwin>> = {
  [insideVpc.id]: insideVpcGuard,
  [publicSubnet.id]: publicSubnetGuard,
  [egressRule.unrestrictedEgress.id]: (ctx) => unrestrictedEgressGuard(ctx, {
    anywhere: [...egressRule.ANYWHERE], portProtocols: Object.keys(egressRule.PORT_PROTOCOLS),
  }),
  [invokePublic.id]: invokePublicGuard,
  [noSourceRule.invokeNoSourceCondition.id]: invokeNoSourceConditionGuard(noSourceRule.SERVICE_PRINCIPAL),
  [urlPublic.id]: urlPublicGuard,
  [urlWildcardCors.id]: urlWildcardCorsGuard,
  [roleWildcardRule.roleWildcard.id]: (ctx) => roleWildcardGuard(ctx, roleWildcardRule.SERVICE_WIDE),
  [managedAdminRule.roleManagedAdmin.id]: (ctx) => roleManagedAdminGuard(ctx, {
    arnStart: managedAdminRule.ARN_START,
    partition: managedAdminRule.PARTITION,
    policyPath: managedAdminRule.POLICY_PATH,
    adminNames: [...managedAdminRule.ADMIN_POLICIES],
    adminPrefix: managedAdminRule.ADMIN_PREFIX,
    adminSuffix: managedAdminRule.ADMIN_SUFFIX,
    pseudoParameter: managedAdminRule.PSEUDO_PARAMETER,
  }),
  [environmentLiteralSecret.id]: environmentLiteralSecretGuard,
  [logGroup.id]: logGroupGuard,
  [codeSigning.id]: codeSigningGuard,
  [runtimeDeprecated.id]: runtimeDeprecatedGuard,
  [deadLetter.id]: deadLetterGuard,
  // The dimension and the resources standing for the function are FunctionView.alarms' and FunctionView.targets'.
  [alarmsRule.alarms.id]: (ctx) => alarmsGuard(ctx, {
    metricName: alarmsRule.METRIC, dimension: 'FunctionName', standIns: ['AWS::Lambda::Version', 'AWS::Lambda::Alias'],
  }),
  [configRules.id]: configRulesGuard,
  [resourcePolicyRule.resourcePolicyOpen.id]: (ctx) => resourcePolicyOpenGuard(ctx, {
    organizationKeys: resourcePolicyRule.ORGANIZATION_KEYS,
    sourceKeys: resourcePolicyRule.SOURCE_KEYS,
    accountPrincipal: resourcePolicyRule.ACCOUNT_PRINCIPAL,
    joinedAccount: resourcePolicyRule.JOINED_ACCOUNT,
  }),
  [microvmImageCapabilities.id]: (ctx) => microvmImageCapabilitiesGuard(ctx, FORBIDDEN_CAPABILITIES),
  [logLevelRule.logLevelVerbose.id]: (ctx) => logLevelVerboseGuard(ctx, {
    properties: logLevelRule.LEVEL_PROPERTIES, verbose: logLevelRule.VERBOSE_LEVELS,
  }),
  [inspectorExcluded.id]: (ctx) => inspectorExcludedGuard(ctx, INSPECTOR_EXCLUSION_TAGS),
  [computeRoleWildcard.id]: (ctx) => {
    const types = Object.entries(COMPUTE_ROLES);
    const judged = (t: number) => `${ctx.name}_compute_${t}`;
    return roleWildcardOf(ctx, roleWildcardRule.SERVICE_WIDE, {
      lets: types.map(([type], t) => `\nlet ${judged(t)} = ${ctx.unacknowledged(type)}`).join(''),
      sources: types.map(([, path], t) => ({ judged: judged(t), path: `Properties.${path}` })),
      gate: types.map((_, t) => `%${judged(t)} !empty`).join(' or '),
    });
  },
  [capacityProviderSubnets.id]: (ctx) => publicSubnetsGuard(ctx, {
    lets: `\nlet ${ctx.name}_providers = ${ctx.unacknowledged(capacityProviderSubnets.resourceTypes[0])}`,
    judged: `${ctx.name}_providers`,
    subnets: 'Properties.VpcConfig.SubnetIds',
    gate: `%${ctx.name}_providers !empty`,
  }),
  [bakedEnvSecret.id]: (ctx) => bakedEnvSecretGuard(ctx, {
    revision: BAKED_VARIABLES['AWS::Lambda::WebFunctionRevision'].path, image: BAKED_VARIABLES['AWS::Lambda::MicrovmImage'].path,
  }),
};

/** The ids of the rules whose twin is written by hand. */
export function writtenTwinIds(): string[] {
  return Object.keys(WRITTEN);
}

/**
 * The Guard twin of a catalog rule: derived from its declaration when it is a
 * property check, the one written for it otherwise.
 */
export function guardTwinOf(rule: CatalogRule): GuardTwin {
  if (isPropertyRule(rule)) {
    if (WRITTEN[rule.id]) {
      throw new Error(`${rule.id} is declared as a property check and has a written Guard twin too: one of them goes`);
    }
    return (ctx) => propertyTwin(rule, ctx);
  }
  const twin = WRITTEN[rule.id];
  if (!twin) {
    throw new Error(`${rule.id} has no Guard twin: declare it as a property check (rules/property-rule.ts) or write one in guard/twins/`);
  }
  return twin;
}
