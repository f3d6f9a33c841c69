import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { invalidInput } from '../private/errors';

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
      'must not be everyone (rule lambda-public-invoke: a resource policy open to * lets any AWS account invoke the function)',
      "'*'",
      'grant a specific account (new iam.AccountPrincipal(...)), an organization (organizationId) or a service principal with sourceArn',
    );
  }
  if (permission.functionUrlAuthType === lambda.FunctionUrlAuthType.NONE) {
    throw invalidInput(
      `SecureFunction ${scope.node.path}: permission '${id}' functionUrlAuthType`,
      'must be AWS_IAM (rule lambda-url-auth: a URL without auth is public)',
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
  return permission;
}

/**
 * Refuses function URL options that make the function public.
 */
export function checkFunctionUrlOptions(scope: Construct, options: lambda.FunctionUrlOptions): void {
  if (options.authType === lambda.FunctionUrlAuthType.NONE) {
    throw invalidInput(
      `SecureFunction ${scope.node.path}: addFunctionUrl authType`,
      'must be AWS_IAM (rule lambda-url-auth: a URL without auth lets anyone on the internet invoke the function)',
      "'NONE'",
      'omit authType (AWS_IAM is the default) and call fn.grantInvokeUrl(principal) for each caller',
    );
  }
  const origins = options.cors?.allowedOrigins ?? [];
  const wildcard = origins.find((origin) => !Token.isUnresolved(origin) && origin.includes('*'));
  if (wildcard !== undefined) {
    throw invalidInput(
      `SecureFunction ${scope.node.path}: addFunctionUrl cors.allowedOrigins`,
      'must list exact origins (rule lambda-url-cors: a wildcard lets any web page call the function with its visitors\' credentials)',
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
