import { GuardContext, messageAt } from '../guard-dsl';

/** The data lambda-resource-policy-open judges with, from its declaration. */
export interface ResourcePolicyData {
  readonly organizationKeys: readonly string[];
  readonly sourceKeys: readonly string[];
  readonly accountPrincipal: RegExp;
  readonly joinedAccount: RegExp;
}

/** A Guard regex matching any of `keys` whatever their case (IAM compares condition keys without case). */
function anyKey(keys: readonly string[]): string {
  return `/(?i)^(${keys.map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$/`;
}

/**
 * lambda-resource-policy-open in Guard: the Allow statements of every resource policy
 * the rule judges, each held to the three conditions of the rule's check. A policy
 * document or statement list from an intrinsic function is not judged, nor a
 * statement whose Principal or Condition is one.
 */
export function resourcePolicyOpenGuard(ctx: GuardContext, data: ResourcePolicyData): string {
  const n = ctx.name;
  const at = (indent: string) => messageAt(ctx, indent);
  return `
let ${n}_policies = ${ctx.unacknowledged('AWS::Lambda::ResourcePolicy')}

rule ${n} when %${n}_policies !empty {
    %${n}_policies {
        let ${n}_allows = Properties.PolicyDocument.Statement[
            Effect == 'Allow'
            Principal !is_struct or Principal[ keys == /^(Ref$|Fn::)/ ] empty
            Condition not exists or Condition[ keys == /^(Ref$|Fn::)/ ] empty
        ]
        when %${n}_allows !empty {
            %${n}_allows {
                # A wildcard principal is scoped to an organization.
                when Principal == '*' or some Principal.AWS[*] == '*' {
                    Condition.*[ keys == ${anyKey(data.organizationKeys)} ] !empty
                    ${at('                    ')}
                }
                # A service principal names the resource or the account that calls.
                when Principal.Service exists {
                    Condition.*[ keys == ${anyKey(data.sourceKeys)} ] !empty
                    ${at('                    ')}
                }
                # An account written by its id carries a condition.
                when some Principal.AWS[*] == ${guardRegex(data.accountPrincipal)} or
                     some Principal.AWS[*].'Fn::Join'[1][*] == ${guardRegex(data.joinedAccount)} {
                    Condition exists
                    ${at('                    ')}
                }
            }
        }
    }
}`;
}

/** A JavaScript regex as a Guard regex literal. */
function guardRegex(pattern: RegExp): string {
  return `/${pattern.source.replace(/\\d/g, '[0-9]')}/`;
}
