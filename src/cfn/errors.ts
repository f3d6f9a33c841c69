/**
 * One error style for the whole library: what is wrong (the prop or variable and
 * the value), which rule it breaks, and how to fix it.
 */
export function invalidInput(what: string, rule: string, got: string, fix: string): Error {
  const error = new Error(`${what} ${rule}, got ${got}. Fix: ${fix}`);
  error.name = 'SecureFunctionValidationError';
  return error;
}

/** Renders a value for an error message without dumping large structures. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.length > 60 ? value.slice(0, 57) + '...' : value}'`;
  }
  return String(value);
}
