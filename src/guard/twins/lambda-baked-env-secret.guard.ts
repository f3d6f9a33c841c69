import { SECRET_REGEXES } from './lambda-env-literal-secret.guard';
import { GuardContext, messageAt } from '../guard-dsl';

/** The keys of an intrinsic function object, as a Guard regex. */
const INTRINSIC_KEY = '/^(Ref$|Fn::)/';

/**
 * lambda-baked-env-secret in Guard: the judgement of lambda-env-literal-secret
 * (its regexes, SECRET_REGEXES), on the variables of web function revisions (a
 * map) and MicroVM images (a list of Key and Value). Variables from a parameter
 * or an intrinsic function, and values that are not literal strings, are not judged.
 */
export function bakedEnvSecretGuard(ctx: GuardContext, where: { revision: string; image: string }): string {
  const n = ctx.name;
  const r = SECRET_REGEXES;
  const at = (indent: string) => messageAt(ctx, indent);
  return `
let ${n}_revisions = ${ctx.unacknowledged('AWS::Lambda::WebFunctionRevision')}
let ${n}_images = ${ctx.unacknowledged('AWS::Lambda::MicrovmImage')}
let ${n}_judged_revisions = %${n}_revisions[
    Properties.${where.revision} is_struct
    Properties.${where.revision} !empty
    Properties.${where.revision}[ keys == ${INTRINSIC_KEY} ] empty
]
let ${n}_named = %${n}_judged_revisions.Properties.${where.revision}[ keys == ${r.secretName} ]
let ${n}_image_variables = %${n}_images[ Properties.${where.image} is_list ].Properties.${where.image}[*]

rule ${n} when %${n}_revisions !empty or %${n}_images !empty {
    when %${n}_judged_revisions !empty {
        %${n}_judged_revisions.Properties.${where.revision}.* {
            when this is_string {
                # A value shaped like a secret, whatever the name.
                when this == ${r.shapeHint} {
                    this != ${r.shapes}
                    ${at('                    ')}
                }
            }
        }
    }
    when %${n}_named !empty {
        %${n}_named {
            when this is_string {
                # Unless the value is an ARN, a parameter path, a reference, a boolean, a number or nothing.
                this == ${r.nonSecret}
                ${at('                ')}
            }
        }
    }
    when %${n}_image_variables !empty {
        %${n}_image_variables {
            when Value is_string {
                when Value == ${r.shapeHint} {
                    Value != ${r.shapes}
                    ${at('                    ')}
                }
                when Key is_string
                     Key == ${r.secretName} {
                    Value == ${r.nonSecret}
                    ${at('                    ')}
                }
            }
        }
    }
}`;
}
