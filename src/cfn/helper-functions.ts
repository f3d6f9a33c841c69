import { CfnResource, Fn, Stack } from 'aws-cdk-lib';

/**
 * The name prefix of the functions that only CloudFormation runs while it
 * deploys a stack of this library (its signer and prefix-list lookup, and the
 * CDK provider that closes the isolated VPC's default security group). They
 * run outside the VPC and their code is not signed, each for the reason
 * acknowledged on it; the organisation guardrails let a deployment role create
 * functions of this name without VPC or code signing, and no one else.
 */
export const HELPER_FUNCTION_PREFIX = 'securefn-helper-';

/** The functions named here, so that nothing names them twice. */
const NAMED = new WeakSet<CfnResource>();

/** Whether `resource` was named as a helper. */
export function isNamedHelper(resource: CfnResource): boolean {
  return NAMED.has(resource);
}

/** The longest purpose a helper's name may carry (the name stays within Lambda's 64 characters). */
const MAX_PURPOSE = 20;

/**
 * Names a helper function `securefn-helper-<purpose>-<12 hex of the stack id>`:
 * one per purpose and stack, unique in the account and region, and known to
 * the guardrails by its prefix. The stack id's last group keeps two stacks of
 * the same name in one account (deleted and created again) apart.
 */
export function nameHelperFunction(resource: CfnResource, purpose: string): void {
  if (resource.cfnResourceType !== 'AWS::Lambda::Function') {
    throw new Error(`${resource.node.path}: only a function is named as a helper, got ${resource.cfnResourceType}`);
  }
  if (!/^[a-z0-9-]+$/.test(purpose) || purpose.length > MAX_PURPOSE) {
    throw new Error(`helper purpose '${purpose}' must be at most ${MAX_PURPOSE} lowercase letters, digits or hyphens`);
  }
  const stackUuid = Fn.select(2, Fn.split('/', Stack.of(resource).stackId));
  const suffix = Fn.select(4, Fn.split('-', stackUuid));
  resource.addPropertyOverride('FunctionName', Fn.join('', [HELPER_FUNCTION_PREFIX, purpose, '-', suffix]));
  NAMED.add(resource);
}
