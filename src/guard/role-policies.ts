// Guard helpers for rules that judge the policies of a function's execution role.

/** A Guard regex literal of a JavaScript regex (Guard regexes are Rust regexes between slashes). */
export function guardRegex(regex: RegExp): string {
  return `/${regex.source.replace(/(?<!\\)\//g, '\\/')}/`;
}

/**
 * The roles of the judged functions, as Guard reads the function's Role: file-level
 * `let`s (`<name>_role_ids_<k>`, `<name>_named_roles_<k>`), one pair per way of
 * naming the role: Ref, Fn::GetAtt, a Ref inside Fn::Join, the last `${...}` of a
 * Fn::Sub. FunctionView.role follows any reference inside the value; an ARN
 * literal (an imported role) names none (UNRESOLVED).
 */
export function functionRoles(name: string, functions: string): { lets: string; count: number } {
  const role = `%${functions}[ Properties.Role`;
  const ids = [
    `${role}.Ref is_string ].Properties.Role.Ref`,
    `${role}.'Fn::GetAtt' exists ].Properties.Role.'Fn::GetAtt'[0]`,
    `${role}.'Fn::Join' exists ].Properties.Role.'Fn::Join'[1][ Ref is_string ].Ref`,
    `regex_replace(%${name}_role_subs, "^.*\\$\\{([^}.!]+)[^}]*\\}.*$", "\${1}")`,
  ];
  const lets = [
    `let ${name}_role_subs = ${role}.'Fn::Sub' is_string ].Properties.Role.'Fn::Sub'`,
    ...ids.flatMap((query, k) => [
      `let ${name}_role_ids_${k} = ${query}`,
      `let ${name}_named_roles_${k} = Resources[ keys in %${name}_role_ids_${k} ]`,
    ]),
  ];
  return { lets: lets.join('\n'), count: ids.length };
}

/**
 * `let`s binding, in a block over a resource `%<current>`, whether it is one of the
 * sets; and the condition that it is. Guard 3 gives no logical id per element (a
 * key capture binds all the keys of its filter at once), so membership compares
 * whole resources: two resources with identical bodies (never in `cdk synth`
 * output, whose Metadata holds the construct path) count as one.
 */
export function memberOf(current: string, sets: string[], indent: string): { lets: string; when: string } {
  return {
    lets: sets.map((set, i) => `${indent}let in_${i} = %${set}[ this == %${current} ]`).join('\n'),
    when: sets.map((_, i) => `%in_${i} !empty`).join(' or '),
  };
}

