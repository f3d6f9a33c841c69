import { IConstruct } from 'constructs';

/** A SecureFunction and everything it builds: the report names its functions, the mixin leaves them alone. */
export const SECURE_FUNCTION_MARK = Symbol.for('cdk-secure-function.SecureFunction');

/** A function LambdaHardening hardened (the lambda.Function, or the CfnFunction itself). */
export const HARDENED_MARK = Symbol.for('cdk-secure-function.LambdaHardening');

/** One of the library's own deploy-time functions, which LambdaHardening leaves alone. */
export const LIBRARY_FUNCTION_MARK = Symbol.for('cdk-secure-function.LibraryFunction');

/** A function LambdaRulesAspect judged at synthesis: the audit report shows functions no aspect reached. */
export const ENFORCED_MARK = Symbol.for('cdk-secure-function.Enforced');

/**
 * Marks a construct with a symbol (SecureFunction, a hardened function, a
 * library function...), so that aspects and the report can tell it apart
 * without a class check across package copies.
 */
export function setMark(construct: IConstruct, mark: symbol): void {
  Object.defineProperty(construct, mark, { value: true });
}

/** The first of `marks` found on `construct` or its closest marked scope, walking up. */
export function closestMark(construct: IConstruct, marks: symbol[]): symbol | undefined {
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    const found = marks.find((mark) => (current as unknown as Record<symbol, unknown>)[mark] === true);
    if (found) {
      return found;
    }
  }
  return undefined;
}
