import { functionTargets } from '../function-targets';
import { GuardContext, messageAt } from '../guard-dsl';

/**
 * The most parts an Fn::Join principal ending with AWS::URLSuffix may have for Guard to
 * find its end (Guard 3.1 cannot index from the end of a list: `[-1]` reads index 1).
 */
const MAX_JOIN_PARTS = 8;

const JOIN = "'Fn::Join'";

/**
 * lambda-invoke-no-source-condition in Guard: permissions for an AWS service principal
 * (`servicePrincipal`, the rule's own pattern) with neither SourceArn nor SourceAccount.
 *
 * The principal is judged as principalName() reads it: a literal string, or an
 * Fn::Join of literals and AWS::URLSuffix (read as amazonaws.com). Guard cannot put
 * URLSuffix into a string, so a join with it is judged by its end: a service principal
 * when it ends with URLSuffix after a '.' (in the delimiter, or at the end of the part
 * before). Not judged (Guard passes): a join that puts more after URLSuffix (`.cn`),
 * or one of more than MAX_JOIN_PARTS parts.
 */
export function invokeNoSourceConditionGuard(servicePrincipal: RegExp): (ctx: GuardContext) => string {
  const pattern = `/${servicePrincipal.source.replace(/\//g, '\\/')}/`;
  return (ctx) => {
    const n = ctx.name;
    const targets = functionTargets(ctx);
    const failing = (indent: string) => `Properties.SourceArn exists or Properties.SourceAccount exists\n${indent}${messageAt(ctx, indent)}`;
    const endings: string[] = [];
    for (let last = 1; last < MAX_JOIN_PARTS; last++) {
      endings.push(`
# Whether \`principal\` joins AWS::URLSuffix at index ${last}, its last, after a '.'.
rule ${n}_urlsuffix_at_${last}(principal) {
    %principal.${JOIN}[1][${last}].Ref == 'AWS::URLSuffix'
    %principal.${JOIN}[1][${last + 1}] not exists
    %principal.${JOIN}[0] == /\\.$/ or %principal.${JOIN}[0] == ''
    %principal.${JOIN}[0] == /\\.$/ or %principal.${JOIN}[1][${last - 1}] == /\\.$/
}`);
    }
    const endsWithUrlSuffix = endings.map((_, i) => `${n}_urlsuffix_at_${i + 1}(%${n}_principal)`).join(' or\n                         ');
    return `${targets.declarations}
${endings.join('\n')}

let ${n}_permissions = ${ctx.unacknowledged('AWS::Lambda::Permission')}

let ${n}_candidates = %${n}_permissions[
    Properties.SourceArn not exists
    Properties.SourceAccount not exists
]

rule ${n} when %${ctx.functions} !empty {
    when %${n}_candidates !empty {
        %${n}_candidates {
            let ${n}_function_name = some Properties.FunctionName
            when ${targets.names(`${n}_function_name`)} {
                # A service principal as a literal string.
                when Properties.Principal is_string
                     Properties.Principal == ${pattern} {
                    ${failing('                    ')}
                }
                # A service principal joined from literals and AWS::URLSuffix; a part from a
                # parameter or another intrinsic function is not judged.
                let ${n}_principal = some Properties.Principal
                let ${n}_parts = some Properties.Principal.${JOIN}[1][*]
                when Properties.Principal.${JOIN}[0] is_string
                     Properties.Principal.${JOIN}[1] is_list
                     %${n}_parts !empty
                     %${n}_parts[ this !is_string
                                  Ref not exists or Ref != 'AWS::URLSuffix' ] empty {
                    # Literals only: their join (Guard's join() needs a non-empty delimiter).
                    when %${n}_parts[ this !is_string ] empty
                         Properties.Principal.${JOIN}[0] != '' {
                        let ${n}_delimiter = Properties.Principal.${JOIN}[0]
                        let ${n}_joined = join(%${n}_parts, %${n}_delimiter)
                        when %${n}_joined == ${pattern} {
                            ${failing('                            ')}
                        }
                    }
                    when %${n}_parts[ this !is_string ] empty
                         Properties.Principal.${JOIN}[0] == '' {
                        let ${n}_concatenated = join(%${n}_parts, "")
                        when %${n}_concatenated == ${pattern} {
                            ${failing('                            ')}
                        }
                    }
                    # AWS::URLSuffix last, after a '.'.
                    when ${endsWithUrlSuffix} {
                        ${failing('                        ')}
                    }
                }
            }
        }
    }
}`;
  };
}
