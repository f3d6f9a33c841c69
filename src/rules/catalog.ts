import { alarms } from './lambda/alarms';
import { codePackageCmk } from './lambda/code-package-cmk';
import { codeSigning } from './lambda/code-signing';
import { configRules } from './lambda/config-rules';
import { deadLetter } from './lambda/dead-letter';
import { environmentCmk } from './lambda/environment-cmk';
import { environmentLiteralSecret } from './lambda/environment-literal-secret';
import { insideVpc } from './lambda/inside-vpc';
import { invokeNoSourceCondition } from './lambda/invoke-no-source-condition';
import { invokePublic } from './lambda/invoke-public';
import { layerPublic } from './lambda/layer-public';
import { logGroup } from './lambda/log-group';
import { publicSubnet } from './lambda/public-subnet';
import { reservedConcurrency } from './lambda/reserved-concurrency';
import { roleManagedAdmin } from './lambda/role-managed-admin';
import { roleWildcard } from './lambda/role-wildcard';
import { runtimeDeprecated } from './lambda/runtime-deprecated';
import { tracing } from './lambda/tracing';
import { unrestrictedEgress } from './lambda/unrestricted-egress';
import { urlPublic } from './lambda/url-public';
import { urlWildcardCors } from './lambda/url-wildcard-cors';
import { LambdaRule } from './rule';

/**
 * Every rule, in the order the README lists them: the guard Aspect, the cdk-nag
 * pack, the Guard rules file and the README table are all derived from this.
 */
export const CATALOG: readonly LambdaRule[] = Object.freeze([
  // Network
  insideVpc,
  publicSubnet,
  unrestrictedEgress,
  // Invocation
  invokePublic,
  invokeNoSourceCondition,
  urlPublic,
  urlWildcardCors,
  // Identity
  roleWildcard,
  roleManagedAdmin,
  // Data
  environmentLiteralSecret,
  environmentCmk,
  logGroup,
  // Code
  codeSigning,
  runtimeDeprecated,
  layerPublic,
  // Resilience and visibility
  reservedConcurrency,
  deadLetter,
  tracing,
  // Beyond the listed controls (warn by default)
  codePackageCmk,
  alarms,
  configRules,
]);
