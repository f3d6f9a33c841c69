import { CfnResource, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { invalidInput } from '../cfn/errors';
import { invokePublic } from '../rules/lambda/lambda-invoke-public';
import { urlPublic } from '../rules/lambda/lambda-url-public';
import { urlWildcardCors } from '../rules/lambda/lambda-url-wildcard-cors';
import { cite } from '../rules/rule';

/**
 * Makes an invoke permission safe before it reaches the template:
 * - nobody-in-particular (`*`) is refused unless scoped to an organization;
 * - a service principal always carries `aws:SourceArn` or `aws:SourceAccount`
 *   (the confused-deputy guard): when the caller gave neither, the stack's
 *   account is added as `aws:SourceAccount`;
 * - invocation through a function URL without IAM auth is refused.
 */
export function securePermission(scope: Construct, id: string, permission: lambda.Permission): lambda.Permission {
  const fragment = permission.principal.policyFragment;
  const json = Stack.of(scope).resolve(fragment.principalJson) as Record<string, unknown>;
  const principalConditions = Stack.of(scope).resolve(fragment.conditions) as Record<string, Record<string, unknown>>;
  const aws = toList(json.AWS);
  const services = toList(json.Service);
  const scopedToOrg = Boolean(permission.organizationId) || hasConditionKey(principalConditions, 'aws:PrincipalOrgID');

  if (aws.includes('*') && !scopedToOrg && !permission.sourceArn && !permission.sourceAccount) {
    throw invalidInput(
      `SecureFunction ${scope.node.path}: permission '${id}' principal`,
      `must not be everyone (${cite(invokePublic)}: a resource policy open to * lets any AWS account invoke the function)`,
      "'*'",
      'grant a specific account (new iam.AccountPrincipal(...)), an organization (organizationId) or a service principal with sourceArn',
    );
  }
  if (permission.functionUrlAuthType === lambda.FunctionUrlAuthType.NONE) {
    throw invalidInput(
      `SecureFunction ${scope.node.path}: permission '${id}' functionUrlAuthType`,
      `must be AWS_IAM (${cite(urlPublic)}: a URL without auth is public)`,
      "'NONE'",
      'use FunctionUrlAuthType.AWS_IAM and sign requests with SigV4',
    );
  }

  const hasSourceCondition = Boolean(permission.sourceArn || permission.sourceAccount)
    || hasConditionKey(principalConditions, 'aws:SourceArn')
    || hasConditionKey(principalConditions, 'aws:SourceAccount');
  if (services.length > 0 && !hasSourceCondition) {
    return { ...permission, sourceAccount: Stack.of(scope).account };
  }
  if (services.length > 0 && !permission.sourceAccount && permission.sourceArn) {
    // An ARN built with Fn::Join (an API's execute-api ARN) is no value a template
    // check can read: the account beside it is (CT.LAMBDA.PR.2), and it narrows nothing away.
    // Decided at synthesis: an authorizer's ARN exists only once it is attached to its API.
    const sourceArn = permission.sourceArn;
    const sourceAccount = Lazy.string({ produce: () => (builtInThisAccount(scope, sourceArn) ? Stack.of(scope).account : undefined) });
    return { ...permission, sourceAccount };
  }
  return permission;
}

/**
 * Whether `sourceArn` is built in the template (neither a literal nor a plain
 * reference to a resource) and names the stack's own account.
 */
function builtInThisAccount(scope: Construct, sourceArn: string): boolean {
  const stack = Stack.of(scope);
  const resolved = stack.resolve(sourceArn);
  if (typeof resolved === 'string' || isPlainReference(resolved)) {
    return false;
  }
  const rendered = JSON.stringify(resolved);
  return rendered.includes('{"Ref":"AWS::AccountId"}') || (!Token.isUnresolved(stack.account) && rendered.includes(`:${stack.account}:`));
}

function isPlainReference(value: unknown): boolean {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const keys = Object.keys(value as object);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Fn::GetAtt')
    && !String((value as Record<string, unknown>).Ref ?? '').startsWith('AWS::');
}

/**
 * Control Tower's CT.LAMBDA.PR.2, checked on a template, reads SourceArn only as
 * a literal or a reference to a resource, and SourceAccount only as a literal.
 * In an environment-agnostic stack an ARN built with Fn::Join and the account
 * from AWS::AccountId are neither, though both are set: the check is
 * acknowledged on that permission, naming both. Control Tower's proactive
 * control, a CloudFormation hook, reads them resolved at deployment.
 */
export function acknowledgeTemplateOnlySourceCheck(permission: lambda.CfnPermission): void {
  const stack = Stack.of(permission);
  const p = {
    Principal: stack.resolve(permission.principal),
    SourceArn: stack.resolve(permission.sourceArn),
    SourceAccount: stack.resolve(permission.sourceAccount),
  };
  const arnReadable = typeof p.SourceArn === 'string' || (p.SourceArn !== undefined && isPlainReference(p.SourceArn));
  const accountReadable = typeof p.SourceAccount === 'string';
  if (arnReadable || accountReadable || (p.SourceArn === undefined && p.SourceAccount === undefined)) {
    return;
  }
  Validations.of(permission).acknowledge({
    id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
    reason: `Invocation by ${p.Principal} is scoped to SourceArn ${flat(p.SourceArn)} and SourceAccount ${flat(p.SourceAccount)}; in an environment-agnostic stack both are built with intrinsics, which the template check cannot read. Control Tower's proactive control evaluates the resolved values at deployment; give the stack an account to have the template check pass as well.`,
  });
}

function flat(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value).replace(/\{"Ref":"([^"]+)"\}/g, '<$1>').replace(/[{}"\[\]]/g, '').slice(0, 200);
}

/**
 * Refuses function URL options that make the function public.
 */
export function checkFunctionUrlOptions(scope: Construct, options: lambda.FunctionUrlOptions): void {
  if (options.authType === lambda.FunctionUrlAuthType.NONE) {
    throw invalidInput(
      `SecureFunction ${scope.node.path}: addFunctionUrl authType`,
      `must be AWS_IAM (${cite(urlPublic)}: a URL without auth lets anyone on the internet invoke the function)`,
      "'NONE'",
      'omit authType (AWS_IAM is the default) and call fn.grantInvokeUrl(principal) for each caller',
    );
  }
  const origins = options.cors?.allowedOrigins ?? [];
  const wildcard = origins.find((origin) => !Token.isUnresolved(origin) && origin.includes('*'));
  if (wildcard !== undefined) {
    throw invalidInput(
      `SecureFunction ${scope.node.path}: addFunctionUrl cors.allowedOrigins`,
      `must list exact origins (${cite(urlWildcardCors)}: a wildcard lets any web page call the function with its visitors' credentials)`,
      `'${wildcard}'`,
      "list the origins that may call it, e.g. ['https://app.example.com']",
    );
  }
}

function toList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

function hasConditionKey(conditions: Record<string, Record<string, unknown>> | undefined, key: string): boolean {
  return Object.values(conditions ?? {}).some((block) => block !== null && typeof block === 'object' && key in block);
}

const SERVICE_PRINCIPAL = /\.amazonaws\.com(\.cn)?$/;

/** A permission's resolved principal and source conditions. */
export interface PermissionSource {
  readonly Principal?: unknown;
  readonly SourceArn?: unknown;
  readonly SourceAccount?: unknown;
}

/**
 * Gives a service principal's permission that has no source condition the
 * stack's account as `aws:SourceAccount` (the confused-deputy guard), for
 * permissions made before a function was hardened and for LambdaRulesAspect's
 * remediate mode; and one whose SourceArn is built in the template in the
 * stack's own account (an API's or an authorizer's execute-api ARN, which a
 * template check cannot read) the same account beside it, decided at
 * synthesis, as for permissions added to a hardened function. Only an absent
 * condition is filled; nothing is opened.
 *
 * @param permission the AWS::Lambda::Permission resource
 * @param source its resolved properties (read from the L1 when not given)
 * @returns the principal when the condition was added
 */
export function addSourceAccount(permission: CfnResource, source?: PermissionSource): string | undefined {
  const cfn = permission as lambda.CfnPermission;
  const { Principal, SourceArn, SourceAccount } = source
    ?? Stack.of(permission).resolve({ Principal: cfn.principal, SourceArn: cfn.sourceArn, SourceAccount: cfn.sourceAccount }) as PermissionSource;
  if (typeof Principal !== 'string' || !SERVICE_PRINCIPAL.test(Principal) || SourceAccount !== undefined) {
    return undefined;
  }
  if (SourceArn === undefined) {
    permission.addPropertyOverride('SourceAccount', Stack.of(permission).account);
    return Principal;
  }
  if (permission instanceof lambda.CfnPermission && permission.sourceArn !== undefined) {
    const sourceArn = permission.sourceArn;
    permission.sourceAccount = Lazy.string({ produce: () => (builtInThisAccount(permission, sourceArn) ? Stack.of(permission).account : undefined) });
    return Principal;
  }
  return undefined;
}
