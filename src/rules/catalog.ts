import { alarms } from './lambda/lambda-alarms';
import { codePackageCmk } from './lambda/lambda-code-package-cmk';
import { codeSigning } from './lambda/lambda-code-signing';
import { configRules } from './lambda/lambda-config-rules';
import { deadLetter } from './lambda/lambda-dlq';
import { environmentCmk } from './lambda/lambda-env-cmk';
import { environmentLiteralSecret } from './lambda/lambda-env-literal-secret';
import { insideVpc } from './lambda/lambda-inside-vpc';
import { invokeNoSourceCondition } from './lambda/lambda-invoke-no-source-condition';
import { invokePublic } from './lambda/lambda-invoke-public';
import { layerPublic } from './lambda/lambda-layer-public';
import { logGroup } from './lambda/lambda-log-group';
import { publicSubnet } from './lambda/lambda-public-subnet';
import { reservedConcurrency } from './lambda/lambda-reserved-concurrency';
import { roleManagedAdmin } from './lambda/lambda-role-managed-admin';
import { roleWildcard } from './lambda/lambda-role-wildcard';
import { runtimeDeprecated } from './lambda/lambda-runtime-deprecated';
import { tracing } from './lambda/lambda-tracing';
import { unrestrictedEgress } from './lambda/lambda-unrestricted-egress';
import { urlPublic } from './lambda/lambda-url-public';
import { urlWildcardCors } from './lambda/lambda-url-wildcard-cors';
import { LambdaRule } from './rule';

/**
 * Every rule, in the order docs/guard-and-rules.md lists them: LambdaRulesAspect, the cdk-nag
 * pack, the Guard rules file and the docs' rules table are all derived from this.
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
