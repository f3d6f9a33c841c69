/** What CloudFormation does with an operation the Guard rules fail. */
export enum GuardHookFailureMode {
  /** The operation fails: nothing non-compliant is deployed. */
  FAIL = 'FAIL',
  /** The operation goes on; the failure is reported in the hook's results and log bucket. */
  WARN = 'WARN',
}

/** The operations the hook evaluates. */
export enum GuardHookTargetOperation {
  /**
   * Stack creates and updates: the rules see the whole template, which the
   * catalog's cross-resource rules (permissions, URLs, roles, subnets) need.
   */
  STACK = 'STACK',
  /** Change sets, before they are executed (also the whole template). */
  CHANGE_SET = 'CHANGE_SET',
}

/** How stack names and roles combine in the hook's stack filters. */
export enum GuardHookFilteringCriteria {
  /** A stack must match every filter given. */
  ALL = 'ALL',
  /** A stack matching any filter given is evaluated. */
  ANY = 'ANY',
}

/**
 * Which stacks the hook evaluates. Names and role ARNs may use wildcards
 * (`*`, `?`); up to 50 entries each.
 */
export interface GuardHookStackFilters {
  /** Evaluate only these stacks. @default - every stack */
  readonly includeStackNames?: string[];
  /** Never evaluate these stacks. @default - none */
  readonly excludeStackNames?: string[];
  /** Evaluate only stacks deployed with these service roles. @default - any role */
  readonly includeStackRoles?: string[];
  /** Never evaluate stacks deployed with these service roles. @default - none */
  readonly excludeStackRoles?: string[];
  /** How the filters combine. @default GuardHookFilteringCriteria.ALL */
  readonly filteringCriteria?: GuardHookFilteringCriteria;
}

/**
 * Where the hook reads its rules, when not from the asset the construct uploads:
 * a bucket the organisation's accounts can read (for StackSets, where one copy
 * of the rules serves every account).
 */
export interface GuardHookRulesLocation {
  /** The bucket. */
  readonly bucketName: string;
  /** The object key of the rules file. */
  readonly objectKey: string;
  /** The object version to read (pin it: the hook then never reads a changed file). @default - the latest version */
  readonly objectVersion?: string;
}
