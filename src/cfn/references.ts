// References and literals in a resolved CloudFormation value: what a rule or a
// helper reads to tell a value known at synthesis from one decided at deployment.

/**
 * The logical ids a value refers to (`Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`),
 * anywhere inside it; pseudo parameters (`AWS::Region`...) are left out.
 */
export function referencedIds(value: unknown): string[] {
  const ids: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.Ref === 'string') {
        ids.push(record.Ref);
      }
      const getAtt = record['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
        ids.push(getAtt[0]);
      }
      const sub = record['Fn::Sub'];
      const template = Array.isArray(sub) ? sub[0] : sub;
      if (typeof template === 'string') {
        for (const match of template.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) {
          ids.push(match[1]);
        }
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(value);
  return [...new Set(ids)].filter((id) => !id.startsWith('AWS::'));
}

/** Whether a value is known at synthesis (no reference, parameter or intrinsic in it). */
export function isLiteral(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.every(isLiteral);
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return false;
    }
    return Object.values(value).every(isLiteral);
  }
  return true;
}

/** Whether a value is itself an intrinsic (`Ref`, `Fn::*`): an object decided at deploy time. */
export function isIntrinsic(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'));
}

/** Whether a value is chosen by a condition (`Fn::If`), and so may be absent (AWS::NoValue). */
export function isConditional(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'Fn::If' in value;
}

/** A value as an array (undefined is empty; an unresolved list is one element). */
export function asArray<T = unknown>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
