/**
 * A role the guardrails do not apply to: a break-glass role, or a pipeline
 * that must do what they forbid. Named exactly, never by a wildcard, and with
 * the reason, which the policy's description carries.
 */
export interface GuardrailExemption {
  /**
   * The role's name, with its path when it has one (`ops/BreakGlass`).
   * Letters, digits and `+=,.@_-/` only: no wildcard.
   */
  readonly roleName: string;

  /** Why this role may break the guardrails. */
  readonly reason: string;

  /**
   * The accounts in which the exemption holds.
   *
   * @default - every account the policy applies to
   */
  readonly accounts?: string[];
}

/**
 * A statement of the guardrails left out, by its Sid, with the reason: for
 * example the code-signing statement in an organisation that deploys container
 * images (IAM cannot tell an image from a .zip package, and images are not
 * signed by Lambda).
 */
export interface GuardrailRelaxation {
  /** The Sid of the statement left out (`LambdaCodeSigningFunctionsWithCodeSigning`). */
  readonly statement: string;

  /** Why the organisation does without it. */
  readonly reason: string;
}

/**
 * What the organisation approves, who is exempt and what is left out: the
 * inputs of the Lambda guardrails, whether rendered by `LambdaGuardrails` or
 * as JSON by `LambdaGuardrails.renderPolicies`.
 */
export interface LambdaGuardrailsOptions {
  /**
   * The only VPCs functions may be placed in.
   *
   * @default - any VPC (a function must still be in one)
   */
  readonly approvedVpcIds?: string[];

  /**
   * The only subnets functions and capacity providers may use (private ones).
   *
   * @default - any subnet
   */
  readonly approvedSubnetIds?: string[];

  /**
   * The only security groups functions may use.
   *
   * @default - any security group
   */
  readonly approvedSecurityGroupIds?: string[];

  /**
   * The only code-signing configs functions may be given, by ARN (patterns with
   * `*` allowed, as in `arn:aws:lambda:*:*:code-signing-config:csc-0123*`).
   *
   * @default - any code-signing config (a function must still have one)
   */
  readonly approvedCodeSigningConfigArns?: string[];

  /**
   * The accounts, besides the caller's own, whose layers functions may use
   * (for example AWS's account of a published extension).
   *
   * @default - only layers of the function's own account
   */
  readonly approvedLayerAccounts?: string[];

  /**
   * The accounts, besides the caller's own, that invoke permissions and
   * resource policies may name. AWS services may always be named: that their
   * permissions carry source conditions is judged by the Guard Hook, as no
   * condition key shows it.
   *
   * @default - only the caller's own account and AWS services
   */
  readonly approvedPrincipalAccounts?: string[];

  /**
   * Roles the guardrails do not apply to, each named, with its reason.
   *
   * @default - none
   */
  readonly exemptRoles?: GuardrailExemption[];

  /**
   * The qualifiers of the CDK bootstraps whose CloudFormation execution role
   * (`cdk-<qualifier>-cfn-exec-role-<account>-<region>`) deploys stacks with
   * this library's helper functions.
   *
   * @default ['hnb659fds'] (CDK's default qualifier)
   */
  readonly cdkQualifiers?: string[];

  /**
   * Other roles that deploy stacks with this library's helper functions (a
   * pipeline's CloudFormation role), by name.
   *
   * @default - none
   */
  readonly deploymentRoleNames?: string[];

  /**
   * Statements left out, each with its reason.
   *
   * @default - none
   */
  readonly relaxations?: GuardrailRelaxation[];
}
