import { CfnElement, IResolvable, IResolveContext, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { logicalIdOverride } from './cdk-internals';

/**
 * `fn.currentVersion` names its version after a hash of the function's resolved
 * properties, and CDK recomputes that hash every time the name is resolved: nine
 * times per function in one synthesis (references, template, metadata, tree,
 * validation), each resolving the whole function. That was a sixth of the
 * synthesis time of a stack of SecureFunctions.
 *
 * This keeps CDK's hash and computes it once per rendering:
 * - while CDK looks for references (`preparing` is set: the output is thrown
 *   away, only the tokens met on the way are kept) the name is a placeholder
 *   and nothing is hashed, and whatever was kept before is forgotten;
 * - any other resolution before the tree validates (an export name, a nested
 *   stack parameter) is computed fresh, so nothing earlier is trusted;
 * - once the tree validates (after prepare, before any template is written) the
 *   next resolution is kept and reused until the next preparation, which starts
 *   the next synthesis.
 *
 * A function changed between two syntheses therefore still gets a new version.
 * If the CDK internals it wraps change shape, nothing is memoized and CDK's own
 * (slower) behaviour stays.
 *
 * @returns whether the memo is in place
 */
export function memoizeVersionId(version: lambda.IVersion): boolean {
  const cfn = version.node.defaultChild as CfnElement | undefined;
  const hashed = cfn ? logicalIdOverride(cfn) : undefined;
  if (!cfn || typeof hashed !== 'string' || !Token.isUnresolved(hashed)) {
    return false;
  }
  const memo = new VersionIdMemo(hashed);
  cfn.overrideLogicalId(Token.asString(memo));
  version.node.addValidation({ validate: () => memo.arm() });
  return true;
}

/** What the id resolves to while CDK only collects the tokens of the tree (never written anywhere). */
const PREPARING_PLACEHOLDER = 'SecureFunctionVersionIdPending';

class VersionIdMemo implements IResolvable {
  public readonly creationStack: string[] = [];
  private armed = false;
  private value?: string;

  constructor(private readonly hashed: string) {}

  public resolve(context: IResolveContext): string {
    if (context.preparing) {
      this.armed = false;
      this.value = undefined;
      return PREPARING_PLACEHOLDER;
    }
    if (!this.armed) {
      return context.resolve(this.hashed);
    }
    this.value ??= context.resolve(this.hashed);
    return this.value!;
  }

  /** Called as the tree validates: the function can no longer change in this synthesis. */
  public arm(): string[] {
    this.armed = true;
    this.value = undefined;
    return [];
  }

  public toString(): string {
    return 'VersionIdMemo';
  }
}
