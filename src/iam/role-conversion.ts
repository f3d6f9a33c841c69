import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Dependable, IConstruct } from 'constructs';
import { GrantRouting, RoleWithPolicy, admitManagedPolicy, inlinePolicyRefused, routeStatement } from './managed-policy-role';
import { acknowledgeRequiredWildcards } from './required-wildcards';
import { roleInlinePolicies, roleManagedPolicies } from '../cfn/cdk-internals';
import { invalidInput } from '../cfn/errors';
import { roleWildcard } from '../rules/lambda/lambda-role-wildcard';
import { cite } from '../rules/rule';

/** The AWS managed policies lambda.Function attaches to the role it creates, and what stands in for each. */
const CDK_FUNCTION_POLICIES: Record<string, string> = {
  'service-role/AWSLambdaBasicExecutionRole': 'writing to its own log group (the role\'s customer-managed policy)',
  'service-role/AWSLambdaVPCAccessExecutionRole': 'the stack\'s network-interface policy (FunctionRuntimePolicy)',
  'service-role/AWSLambdaBasicDurableExecutionRolePolicy': 'writing to its own log group, and the checkpoint actions on its own durable executions (DurableExecutionPolicy)',
};

const CONVERTED = Symbol.for('cdk-secure-function.HardenedRole');

/** What config.CustomRule attaches; replaced by config:PutEvaluations (see LambdaServiceGrants). */
const CONFIG_RULES_POLICY = 'service-role/AWSConfigRulesExecutionRole';

/** What a role of a hardened function is given. */
export interface RoleConversion {
  /** Where the role's grants go. */
  readonly routing: GrantRouting;
  /** How errors name the function. */
  readonly label: string;
  /** The permissions boundary to set, if any. */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  /** Customer-managed policies shared by the stack's functions. */
  readonly sharedPolicies: iam.IManagedPolicy[];
  /**
   * Which statements already in the role were granted for the Lambda service
   * (the pollers of event sources wired before the conversion), not the code.
   *
   * @default - none
   */
  readonly isServiceGrant?: (statement: iam.PolicyStatement) => boolean;
}

/**
 * Makes the role of an existing function a role of this library, in place, so
 * that every reference to it stays valid: from now on every grant goes into
 * its customer-managed policy (child 'Policy'), exact and routed as a
 * SecureFunction's; the statements CDK already put in its inline
 * `DefaultPolicy` move there, and whatever depended on that policy depends on
 * the new one; the AWS managed policies lambda.Function attached are replaced
 * (any other is refused, as later ones are); inline policies are refused.
 *
 * @param role the function's role, as the function holds it
 */
export function convertRole(role: iam.IRole, conversion: RoleConversion): RoleWithPolicy {
  const checked = checkRole(role, conversion.label);
  Object.defineProperty(checked, CONVERTED, { value: true });
  return convert(checked, conversion);
}

/**
 * Refuses a role that cannot become a role of this library, before anything
 * changes: an imported role, the role of another hardened function, inline
 * policies, AWS managed policies other than those lambda.Function attaches.
 */
export function checkRole(role: iam.IRole, label: string): iam.Role {
  if (!(role instanceof iam.Role)) {
    throw invalidInput(`${label}: 'role'`, 'must be a role the app defines (an imported role cannot be checked, and grants to it are not written to any policy)',
      role.node.path,
      'let the function create its own role (drop role), or create it in the app with new iam.Role(...)');
  }
  if ((role as unknown as Record<symbol, unknown>)[CONVERTED]) {
    throw invalidInput(`${label}: 'role'`, `is the role of another hardened function (each function has its own role: least privilege, ${cite(roleWildcard)})`,
      role.node.path, 'give each function its own role (drop role, and the function creates one)');
  }
  const inline = roleInlinePolicies(role);
  if (Object.keys(inline).length > 0) {
    throw invalidInput(`${label}: role ${role.node.path}`, 'has inline policies (the HIPAA, NIST 800-53 and PCI DSS packs reject them: IAMNoInlinePolicy)',
      Object.keys(inline).join(', '), 'grant with resource.grant*(fn) or fn.addToRolePolicy(statement) instead of inlinePolicies');
  }
  for (const managed of roleManagedPolicies(role)) {
    const name = awsManagedName(role, managed);
    if (name === undefined || CDK_FUNCTION_POLICIES[name] === undefined) {
      admitManagedPolicy(role, managed, { replaceAwsManagedPolicy: (policyName) => policyName === CONFIG_RULES_POLICY });
    }
  }
  return role;
}

function convert(role: iam.Role, conversion: RoleConversion): RoleWithPolicy {
  const policy = new iam.ManagedPolicy(role, 'Policy', { description: `Execution role policy of ${conversion.label}`, roles: [role] });
  acknowledgeRequiredWildcards(policy);
  const converted: RoleWithPolicy = { role, policy };
  const routing = conversion.routing;
  const original = { addManagedPolicy: role.addManagedPolicy.bind(role) };

  replaceManagedPolicies(role, routing);
  const moved = moveDefaultPolicy(role, policy);

  Object.assign(role, {
    addToPrincipalPolicy: (statement: iam.PolicyStatement) => routeStatement(converted, statement, routing),
    addToPolicy: (statement: iam.PolicyStatement) => routeStatement(converted, statement, routing).statementAdded,
    addManagedPolicy: (managed: iam.IManagedPolicy) => {
      if (admitManagedPolicy(role, managed, routing)) {
        original.addManagedPolicy(managed);
      }
    },
    attachInlinePolicy: (inlinePolicy: iam.Policy) => {
      throw inlinePolicyRefused(role, inlinePolicy);
    },
  });
  for (const statement of moved) {
    if (conversion.isServiceGrant?.(statement) && routing.asServiceGrant) {
      routing.asServiceGrant(() => routeStatement(converted, statement, routing));
    } else {
      routeStatement(converted, statement, routing);
    }
  }
  for (const shared of conversion.sharedPolicies) {
    original.addManagedPolicy(shared);
  }
  if (conversion.permissionsBoundary) {
    iam.PermissionsBoundary.of(role).apply(conversion.permissionsBoundary);
  }
  return converted;
}

/**
 * Drops the AWS managed policies lambda.Function attached (their permissions
 * are granted exactly) and puts every other through the same admission as a
 * later one: replaced where the routing knows how, refused otherwise.
 */
function replaceManagedPolicies(role: iam.Role, routing: GrantRouting): void {
  const attached = roleManagedPolicies(role);
  const kept = attached.filter((managed) => {
    const name = awsManagedName(role, managed);
    if (name !== undefined && CDK_FUNCTION_POLICIES[name] !== undefined) {
      return false;
    }
    return admitManagedPolicy(role, managed, routing);
  });
  attached.splice(0, attached.length, ...kept);
}

function awsManagedName(role: IConstruct, managed: iam.IManagedPolicy): string | undefined {
  const arn = JSON.stringify(Stack.of(role).resolve(managed.managedPolicyArn));
  return arn.match(/:iam::aws:policy\/([A-Za-z0-9+=,.@\-_/]+)/)?.[1];
}

/**
 * Takes the statements out of the role's inline DefaultPolicy, removes it, and
 * points whatever depended on it (grants that must exist before a resource
 * uses them) at `replacement`.
 */
function moveDefaultPolicy(role: iam.Role, replacement: iam.ManagedPolicy): iam.PolicyStatement[] {
  const defaultPolicy = role.node.tryFindChild('DefaultPolicy');
  if (!(defaultPolicy instanceof iam.Policy)) {
    return [];
  }
  const document = defaultPolicy.document.toJSON() as { Statement?: unknown[] } | undefined;
  const statements = (document?.Statement ?? []).map((json) => iam.PolicyStatement.fromJson(json));
  role.node.tryRemoveChild('DefaultPolicy');
  Dependable.implement(defaultPolicy, { dependencyRoots: [replacement] });
  return statements;
}
