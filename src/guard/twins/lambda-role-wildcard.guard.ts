import { GuardContext } from '../guard-dsl';
import { guardRegex, memberOf, resourceRoles } from '../role-policies';

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
export function roleWildcardGuard(ctx: GuardContext, serviceWide: RegExp): string {
  return roleWildcardOf(ctx, serviceWide, { sources: [{ judged: ctx.functions, path: 'Properties.Role' }], gate: `%${ctx.functions} !empty` });
}

/**
 * The same judgement of the roles other resources name (lambda-compute-role-wildcard):
 * `sources` are the resources in `%<judged>` and the path of their role; `lets` declares
 * them; the rule applies when `gate` holds.
 */
export function roleWildcardOf(
  { name, message, unacknowledged }: GuardContext, serviceWide: RegExp,
  on: { sources: ReadonlyArray<{ judged: string; path: string }>; gate: string; lets?: string },
): string {
  const roles = resourceRoles(name, on.sources);
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
  return `${on.lets ?? ''}
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

rule ${name} when ${on.gate} {
    # Inline policies of the roles.
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
