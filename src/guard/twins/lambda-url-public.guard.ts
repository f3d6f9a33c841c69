import { functionTargets } from '../function-targets';
import { GuardContext, messageAt, unlessString } from '../guard-dsl';

/**
 * lambda-url-public in Guard: function URLs with AuthType NONE, and permissions letting
 * Principal '*' invoke a URL with FunctionUrlAuthType NONE, on a function the rule
 * judges (or one of its versions or aliases).
 */
export function urlPublicGuard(ctx: GuardContext): string {
  const n = ctx.name;
  const targets = functionTargets(ctx);
  return `${targets.declarations}

let ${n}_urls = ${ctx.unacknowledged('AWS::Lambda::Url')}

let ${n}_permissions = ${ctx.unacknowledged('AWS::Lambda::Permission')}

let ${n}_url_permissions = %${n}_permissions[ Properties.FunctionUrlAuthType exists ]

rule ${n} when %${ctx.functions} !empty {
    when %${n}_urls !empty {
        %${n}_urls {
            let ${n}_url_target = some Properties.TargetFunctionArn
            when ${targets.names(`${n}_url_target`)} {
                # An auth type from a parameter or an intrinsic function is not judged.
                ${unlessString('Properties.AuthType', "!= 'NONE'")}
                ${messageAt(ctx, '                ')}
            }
        }
    }
    when %${n}_url_permissions !empty {
        %${n}_url_permissions {
            let ${n}_permission_target = some Properties.FunctionName
            when ${targets.names(`${n}_permission_target`)} {
                # Public only when both are literally NONE and '*'.
                ${unlessString('Properties.FunctionUrlAuthType', "!= 'NONE'")} or
                ${unlessString('Properties.Principal', "!= '*'")}
                ${messageAt(ctx, '                ')}
            }
        }
    }
}`;
}
