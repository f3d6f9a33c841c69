import { GuardContext } from '../guard/guard-dsl';

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

/**
 * lambda-role-wildcard in Guard. The policy documents that apply to a judged
 * function's role are judged as FunctionView.rolePolicies gathers them: the role's
 * inline policies (failing on the role), and the AWS::IAM::Policy and
 * AWS::IAM::ManagedPolicy resources that name the role in Roles or that the role
 * lists in ManagedPolicyArns (failing on the policy), each unless acknowledged. A
 * statement fails when its Effect is 'Allow' and it has a NotAction, an Action '*'
 * or '*:*', or a service-wide Action ('s3:*') on Resource '*' or with a
 * NotResource. An intrinsic where a literal is needed (a document, a statement,
 * the Effect, an action, the resources) passes (UNRESOLVED).
 */
export function roleWildcardGuard({ name, functions, message, unacknowledged }: GuardContext, serviceWide: RegExp): string {
  const roles = functionRoles(name, functions);
  const k = [...Array(roles.count).keys()];
  const policyTypes = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];
  const attachedIds = [
    { is: 'Ref is_string', id: 'Ref' },
    { is: "'Fn::GetAtt' exists", id: "'Fn::GetAtt'[0]" },
  ];
  const attached = k.flatMap((i) => attachedIds.map((_, j) => `${i}_${j}`));
  const statements = (indent: string) => `${indent}when ${['not_action', 'every_action', 'service_wide'].map((v) => `${name}_${v}(this)`).join(' or ')} {
${indent}    this !exists
${indent}    ${message}
${indent}}`;
  const roleMember = memberOf('role', k.map((i) => `${name}_named_roles_${i}`), '        ');
  const policyMember = memberOf('policy', attached.map((a) => `${name}_attached_${a}`), '        ');
  const perPolicyType = policyTypes.map((type, t) => `
    # ${type} resources naming a role of the functions in Roles...
    %${name}_policies_${t}[ Properties.Roles is_list  Properties.PolicyDocument.Statement exists ] {
        let role_refs = Properties.Roles[ Ref is_string ].Ref
${k.map((i) => `        let mine_${i} = %role_refs[ this in %${name}_role_ids_${i} ]`).join('\n')}
        when ${k.map((i) => `%mine_${i} !empty`).join(' or ')} {
            Properties.PolicyDocument.Statement[*] {
${statements('                ')}
            }
        }
    }
    # ... or that a role of the functions lists in ManagedPolicyArns.
    %${name}_policies_${t}[ Properties.PolicyDocument.Statement exists ] {
        let policy = this
${policyMember.lets}
        when ${policyMember.when} {
            Properties.PolicyDocument.Statement[*] {
${statements('                ')}
            }
        }
    }`).join('');
  return `
${roles.lets}
${k.flatMap((i) => attachedIds.map((form, j) => `let ${name}_attached_ids_${i}_${j} = %${name}_named_roles_${i}[ Type == 'AWS::IAM::Role'  Properties.ManagedPolicyArns is_list ].Properties.ManagedPolicyArns[ ${form.is} ].${form.id}
let ${name}_attached_${i}_${j} = Resources[ keys in %${name}_attached_ids_${i}_${j} ]`)).join('\n')}
let ${name}_roles = ${unacknowledged('AWS::IAM::Role')}
${policyTypes.map((type, t) => `let ${name}_policies_${t} = ${unacknowledged(type)}`).join('\n')}

rule ${name}_not_action(statement) {
    %statement {
        Effect == "Allow"
        NotAction exists
    }
}

rule ${name}_every_action(statement) {
    %statement {
        Effect == "Allow"
        some Action[*] == "*" or some Action[*] == "*:*"
    }
}

rule ${name}_service_wide(statement) {
    %statement {
        Effect == "Allow"
        some Action[*] == ${guardRegex(serviceWide)}
        NotResource exists or some Resource[*] == "*"
    }
}

rule ${name} when %${functions} !empty {
    # Inline policies of the functions' roles.
    %${name}_roles[ Properties.Policies is_list ] {
        let role = this
${roleMember.lets}
        when ${roleMember.when} {
            Properties.Policies[ PolicyDocument.Statement exists ].PolicyDocument.Statement[*] {
${statements('                ')}
            }
        }
    }${perPolicyType}
}`;
}
