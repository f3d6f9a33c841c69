import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, DependencyGroup } from 'constructs';
import { exactStatements } from './exact-actions';
import { acknowledgeRequiredWildcards } from './required-wildcards';
import { invalidInput } from '../cfn/errors';

/**
 * How the grants of a role of this library are routed: what is told of each
 * statement, which customer-managed policy holds it, and which AWS managed
 * policies are replaced by exact grants.
 */
export interface GrantRouting {
  /**
   * Called with every statement added from outside (grants by other constructs),
   * for example to create the VPC endpoints those permissions need.
   *
   * @default - nothing is called
   */
  readonly onGrant?: (statement: iam.PolicyStatement) => void;

  /**
   * Routes what `bind` grants as the Lambda service's own (an event source's
   * poller), not the code's: no VPC endpoint is opened for it.
   *
   * @default - everything is the code's
   */
  readonly asServiceGrant?: <T>(bind: () => T) => T;

  /**
   * Chooses another customer-managed policy of the role for a statement (for
   * example one that holds only actions AWS authorizes on `*`); undefined
   * keeps it in `policy`.
   *
   * @default - every statement goes into `policy`
   */
  readonly policyFor?: (statement: iam.PolicyStatement) => iam.ManagedPolicy | undefined;

  /**
   * Binds a statement of the code to its function: returns the statement to
   * add in its place and the policy that holds it, or undefined to keep it as
   * it is. Not called for the Lambda service's own grants (`asServiceGrant`).
   *
   * @default - nothing is bound
   */
  readonly bind?: (statement: iam.PolicyStatement, role: RoleWithPolicy) => { statement: iam.PolicyStatement; policy: iam.ManagedPolicy } | undefined;

  /**
   * Called with the name of an AWS managed policy attached to the role (CDK's
   * event sources attach some); returns true when it put exact permissions in
   * its place, so that the managed policy is not attached.
   *
   * @default - every AWS managed policy is refused
   */
  readonly replaceAwsManagedPolicy?: (policyName: string) => boolean;
}

/**
 * Properties of a ManagedPolicyRole.
 */
export interface ManagedPolicyRoleProps extends GrantRouting {
  /**
   * The service that assumes the role.
   */
  readonly assumedBy: iam.IPrincipal;

  /**
   * A permissions boundary to attach to the role.
   *
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * Customer-managed policies shared by several roles (for example the stack's
   * X-Ray and network-interface policy) to attach as well.
   *
   * @default - none
   */
  readonly sharedPolicies?: iam.IManagedPolicy[];

  /**
   * A description of the role.
   *
   * @default - no description
   */
  readonly description?: string;
}

/** A role of this library and the customer-managed policy that holds its own permissions. */
export interface RoleWithPolicy {
  /** The role. */
  readonly role: iam.IRole;
  /** Its customer-managed policy. */
  readonly policy: iam.ManagedPolicy;
}

/**
 * Adds `statement` to the role's customer-managed policy (or the one `routing`
 * chooses), never to an inline one, with each wildcard action expanded to the
 * exact actions it stands for that apply to its resources.
 */
export function routeStatement(role: RoleWithPolicy, statement: iam.PolicyStatement, routing: GrantRouting): iam.AddToPrincipalPolicyResult {
  // CDK's grants name actions with wildcards (s3:GetObject*): exact actions only,
  // each on the resources it applies to (Service Authorization Reference).
  const policies = new Set<iam.ManagedPolicy>();
  for (const exact of exactStatements(role.policy, statement)) {
    const bound = routing.bind?.(exact, role);
    const added = bound?.statement ?? exact;
    const policy = bound?.policy ?? routing.policyFor?.(added) ?? role.policy;
    policy.addStatements(added);
    routing.onGrant?.(added);
    policies.add(policy);
  }
  return { statementAdded: true, policyDependable: policies.size === 0 ? role.policy : new DependencyGroup(...policies) };
}

/**
 * Whether a managed policy may be attached to the role: customer-managed ones
 * may; AWS managed ones are replaced by exact grants where `routing` knows how
 * (false: nothing to attach) and refused otherwise (AwsSolutions-IAM4).
 */
export function admitManagedPolicy(role: Construct, policy: iam.IManagedPolicy, routing: GrantRouting): boolean {
  // Resolved and flattened, so that arn:${AWS::Partition}:iam::aws:policy/... is seen too.
  const arn = JSON.stringify(Stack.of(role).resolve(policy.managedPolicyArn));
  const awsManaged = arn.match(/:iam::aws:policy\/([A-Za-z0-9+=,.@\-_/]+)/);
  if (!awsManaged) {
    return true;
  }
  if (routing.replaceAwsManagedPolicy?.(awsManaged[1])) {
    return false;
  }
  throw invalidInput(
    `Role ${role.node.path}: managed policy`,
    'must be customer-managed (AWS managed policies grant more than one function needs: AwsSolutions-IAM4)',
    arn,
    'grant exactly what the function uses, e.g. table.grantReadData(fn), or attach a customer-managed policy',
  );
}

/** The error for an inline policy attached to a role of this library. */
export function inlinePolicyRefused(role: Construct, policy: Construct): Error {
  return invalidInput(
    `Role ${role.node.path}: inline policy '${policy.node.id}'`,
    'is not allowed (the HIPAA, NIST 800-53 and PCI DSS packs reject inline policies: IAMNoInlinePolicy)',
    'an iam.Policy',
    'add its statements with fn.addToRolePolicy(statement), which puts them in the customer-managed policy',
  );
}

/**
 * A role whose every permission lives in its own customer-managed policy.
 *
 * CDK's `Role` puts grants into an inline `DefaultPolicy`, which the HIPAA,
 * NIST 800-53 and PCI DSS packs reject (IAMNoInlinePolicy). This role routes
 * every `addToPrincipalPolicy` call (and so every `grant*` made by another
 * construct later) into `policy`, and refuses AWS managed policies.
 */
export class ManagedPolicyRole extends iam.Role implements RoleWithPolicy {
  /**
   * The customer-managed policy that holds this role's own permissions.
   */
  public readonly policy: iam.ManagedPolicy;
  private readonly routing: GrantRouting;

  constructor(scope: Construct, id: string, props: ManagedPolicyRoleProps) {
    super(scope, id, {
      assumedBy: props.assumedBy,
      description: props.description,
      permissionsBoundary: props.permissionsBoundary,
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: props.description,
      roles: [this],
    });
    acknowledgeRequiredWildcards(this.policy);
    this.routing = props;
    for (const shared of props.sharedPolicies ?? []) {
      super.addManagedPolicy(shared);
    }
  }

  /** This role, as the routing sees it. */
  public get role(): iam.IRole {
    return this;
  }

  /**
   * Adds the statement to the role's customer-managed policy, never to an
   * inline one, with each wildcard action expanded to the exact actions it
   * stands for that apply to its resources.
   */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return routeStatement(this, statement, this.routing);
  }

  /**
   * Attaches a customer-managed policy. AWS managed policies are refused: they
   * are broader than one function needs (AwsSolutions-IAM4).
   */
  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    if (admitManagedPolicy(this, policy, this.routing)) {
      super.addManagedPolicy(policy);
    }
  }

  /**
   * Inline policies are refused: HIPAA, NIST 800-53 and PCI DSS packs reject them
   * (IAMNoInlinePolicy). Statements belong in `policy` instead.
   */
  public attachInlinePolicy(policy: iam.Policy): void {
    throw inlinePolicyRefused(this, policy);
  }
}
