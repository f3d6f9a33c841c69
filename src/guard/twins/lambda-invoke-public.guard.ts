import { functionTargets } from '../function-targets';
import { GuardContext, messageAt, unlessString } from '../guard-dsl';

/** lambda-invoke-public in Guard: permissions for a wildcard principal without PrincipalOrgID. */
export function invokePublicGuard(ctx: GuardContext): string {
  const n = ctx.name;
  const targets = functionTargets(ctx);
  return `${targets.declarations}

let ${n}_permissions = ${ctx.unacknowledged('AWS::Lambda::Permission')}

# Left to lambda-url-public: a public URL's own permission and its companion
# InvokeFunction permission (only for calls through the URL); PrincipalOrgID scopes the rest.
let ${n}_candidates = %${n}_permissions[
    ${unlessString('Properties.FunctionUrlAuthType', "!= 'NONE'")}
    Properties.InvokedViaFunctionUrl not exists or
    Properties.InvokedViaFunctionUrl !is_bool or
    Properties.InvokedViaFunctionUrl != true
    Properties.PrincipalOrgID not exists
]

rule ${n} when %${ctx.functions} !empty {
    when %${n}_candidates !empty {
        %${n}_candidates {
            let ${n}_function_name = some Properties.FunctionName
            when ${targets.names(`${n}_function_name`)} {
                # A principal from a parameter or an intrinsic function is not judged.
                ${unlessString('Properties.Principal', '!= /\\*/')}
                ${messageAt(ctx, '                ')}
            }
        }
    }
}`;
}
