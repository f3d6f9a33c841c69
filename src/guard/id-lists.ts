// Guard helpers for rules that follow a property to the resource it names by logical id.

/**
 * Lets holding the logical ids that `property` of each value of the variable
 * `base` refers to, one list per reference form (Ref, Fn::GetAtt, and either
 * inside a Fn::Join). Shared by the Guard text of lambda-code-signing and
 * lambda-log-group.
 */
export function idLists(prefix: string, base: string, property: string): { lets: string[]; lists: string[] } {
  const forms: Array<[string, string, string]> = [
    ['ref', `${property}.Ref exists`, `${property}.Ref`],
    ['getatt', `${property}.'Fn::GetAtt' exists`, `${property}.'Fn::GetAtt'[0]`],
    ['join_ref', `${property}.'Fn::Join' exists`, `${property}.'Fn::Join'[1][ Ref exists ].Ref`],
    ['join_getatt', `${property}.'Fn::Join' exists`, `${property}.'Fn::Join'[1][ 'Fn::GetAtt' exists ].'Fn::GetAtt'[0]`],
  ];
  return {
    lets: forms.map(([suffix, filter, select]) => `let ${prefix}_${suffix} = %${base}[ ${filter} ].${select}`),
    lists: forms.map(([suffix]) => `${prefix}_${suffix}`),
  };
}

/**
 * A filter condition, one line per reference form: `property` refers to the
 * logical id held by the variable `id`.
 */
export function refersTo(property: string, id: string, indent: string): string {
  return [
    `${property}.Ref == %${id} or`,
    `${property}.'Fn::GetAtt'[0] == %${id} or`,
    `some ${property}.'Fn::Join'[1][*].Ref == %${id} or`,
    `some ${property}.'Fn::Join'[1][*].'Fn::GetAtt'[0] == %${id}`,
  ].join(`\n${indent}`);
}

/**
 * The filter conditions of a GuardContext.unacknowledged query (what its
 * brackets hold), on one line, to filter another collection or capture keys.
 */
export function conditionsOf(query: string): string {
  const match = /^\s*Resources\.\*\[([\s\S]*)\]\s*$/.exec(query);
  if (!match) {
    throw new Error(`Unexpected query shape: ${query}`);
  }
  return match[1].trim().split('\n').map((line) => line.trim()).join(' ');
}
