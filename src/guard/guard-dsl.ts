/**
 * What a catalog rule needs to write its CloudFormation Guard counterpart. The
 * rules file generator (guard-rules-file.ts) hands one to each rule's `guard()`.
 *
 * The contract of `guard(ctx)`: return Guard text that declares exactly one rule
 * named `ctx.name`, guarded by `when %<ctx.functions> !empty` (or, for a rule
 * about the stack as a whole, by the same condition), whose failing clauses carry
 * `ctx.message`. Any `let` or helper rule it declares is prefixed with `ctx.name`
 * so rules never collide in the one file. A value the rule cannot judge in the
 * template (an intrinsic function or a parameter where a literal is needed) must
 * pass, as the Aspect says nothing about it (UNRESOLVED).
 */
export interface GuardContext {
  /** The Guard rule name: the rule id with `_` for `-` (Guard names are identifiers). */
  readonly name: string;
  /**
   * The file-level variable (without `%`) holding the `AWS::Lambda::Function`
   * resources this rule judges: CDK provider functions and functions on which the
   * rule is acknowledged are left out (their `Metadata.guard.SuppressedRules`
   * lists the rule id).
   */
  readonly functions: string;
  /** The custom message block for failing clauses: `<< [id] title. Fix: fix >>`. */
  readonly message: string;
  /**
   * A query selecting the resources of `type` on which the rule is not
   * acknowledged, for rules that report a resource other than the function
   * (a permission, a URL, a role...).
   */
  unacknowledged(type: string): string;
}

/** The Guard rule name of a catalog rule id. */
export function guardRuleName(ruleId: string): string {
  return ruleId.replace(/-/g, '_');
}

/** The catalog rule id of a Guard rule name (the inverse of guardRuleName). */
export function ruleIdOfGuardName(name: string): string {
  return name.replace(/_/g, '-');
}

/** Resources of `type` whose `Metadata.guard.SuppressedRules` does not list `ruleId`. */
export function unacknowledgedQuery(type: string, ruleId: string): string {
  return [
    'Resources.*[',
    `    Type == '${type}'`,
    '    Metadata.guard.SuppressedRules not exists or',
    `    Metadata.guard.SuppressedRules.* != "${ruleId}"`,
    ']',
  ].join('\n');
}

/** A Guard string literal (double quotes, escaped). */
export function guardString(value: string): string {
  return JSON.stringify(value);
}

/**
 * `let <variable> = ` the functions of `%<functions>` that are .zip packages, as
 * FunctionView.isImage tells them apart: no PackageType Image, no Code.ImageUri.
 */
export function zipFunctionsLet(variable: string, functions: string): string {
  return [
    `let ${variable} = %${functions}[`,
    '    Properties.PackageType not exists or',
    "    Properties.PackageType not in ['Image']",
    '    Properties.Code.ImageUri not exists',
    ']',
  ].join('\n');
}

/** A clause that passes unless `query` is a string that fails `comparison` (`== 'x'`, `!= /y/`...). */
export function unlessString(query: string, comparison: string): string {
  return `${query} not exists or ${query} !is_string or ${query} ${comparison}`;
}

/** The rule's custom message block, its lines indented by `indent` to sit under a clause. */
export function messageAt(ctx: GuardContext, indent: string): string {
  return ctx.message.replace(/\n/g, `\n${indent}`);
}
