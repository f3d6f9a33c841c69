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
  return resourceRoles(name, [{ judged: functions, path: 'Properties.Role' }]);
}

/**
 * functionRoles for any resources that name a role: for each source, the
 * resources in `%<judged>` and the path of their role (`Properties.Role`,
 * `Properties.ServiceConfig.ExecutionRoleArn`...). The `let`s of the first
 * source are named as functionRoles names them; those of the others carry
 * the source's index.
 */
export function resourceRoles(name: string, sources: ReadonlyArray<{ judged: string; path: string }>): { lets: string; count: number } {
  const lets: string[] = [];
  let count = 0;
  sources.forEach(({ judged, path }, s) => {
    const subs = s === 0 ? `${name}_role_subs` : `${name}_role_subs_${s}`;
    const role = `%${judged}[ ${path}`;
    const ids = [
      `${role}.Ref is_string ].${path}.Ref`,
      `${role}.'Fn::GetAtt' exists ].${path}.'Fn::GetAtt'[0]`,
      `${role}.'Fn::Join' exists ].${path}.'Fn::Join'[1][ Ref is_string ].Ref`,
      `regex_replace(%${subs}, "^.*\\$\\{([^}.!]+)[^}]*\\}.*$", "\${1}")`,
    ];
    lets.push(`let ${subs} = ${role}.'Fn::Sub' is_string ].${path}.'Fn::Sub'`);
    for (const query of ids) {
      lets.push(`let ${name}_role_ids_${count} = ${query}`, `let ${name}_named_roles_${count} = Resources[ keys in %${name}_role_ids_${count} ]`);
      count++;
    }
  });
  return { lets: lets.join('\n'), count };
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

