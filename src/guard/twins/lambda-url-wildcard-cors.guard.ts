import { functionTargets } from '../function-targets';
import { GuardContext, messageAt, unlessString } from '../guard-dsl';

/**
 * lambda-url-wildcard-cors in Guard: function URLs, of a function the rule judges (or
 * one of its versions or aliases), whose Cors.AllowOrigins lists an origin with '*'.
 */
export function urlWildcardCorsGuard(ctx: GuardContext): string {
  const n = ctx.name;
  const targets = functionTargets(ctx);
  return `${targets.declarations}

let ${n}_urls = ${ctx.unacknowledged('AWS::Lambda::Url')}

rule ${n} when %${ctx.functions} !empty {
    when %${n}_urls !empty {
        %${n}_urls {
            let ${n}_url_target = some Properties.TargetFunctionArn
            # No CORS: browsers on other origins cannot read responses. Cors or the
            # whole list from a parameter or an intrinsic function is not judged.
            when ${targets.names(`${n}_url_target`)}
                 Properties.Cors.AllowOrigins is_list
                 Properties.Cors.AllowOrigins !empty {
                Properties.Cors.AllowOrigins[*] {
                    # An origin from a parameter or an intrinsic function is not judged.
                    ${unlessString('this', '!= /\\*/')}
                    ${messageAt(ctx, '                    ')}
                }
            }
        }
    }
}`;
}
