import { referenceLets, referenceQueries } from '../function-targets';
import { GuardContext, messageAt, unlessString } from '../guard-dsl';

/**
 * lambda-layer-public in Guard: permissions sharing a layer version with every account
 * (Principal '*', no OrganizationId), when a function the rule judges uses that layer
 * version (its Layers and the permission's LayerVersionArn refer to the same resource)
 * and uses at least one layer version of the stack (else the rule does not apply).
 */
export function layerPublicGuard(ctx: GuardContext): string {
  const n = ctx.name;
  const indent = (lines: string[], by: string) => lines.map((line) => `${by}${line}`).join('\n');
  const layers = referenceLets(`${n}_layer`, `${n}_layers`);
  const arn = referenceLets(`${n}_arn`, `${n}_layer_version_arn`);
  return `
let ${n}_resources = Resources

# The judged functions whose Layers refer to one of \`ids\`, if some of them uses a
# layer version of the stack.
rule ${n}_used_by(ids) {
    let ${n}_users = %${ctx.functions}[
        ${referenceQueries('Properties.Layers').map((query) => `some ${query} in %ids`).join(' or\n        ')}
    ]
    let ${n}_layers = some %${n}_users.Properties.Layers
${indent(layers.lets, '    ')}
${indent(layers.ids.map((id) => `let ${id.replace(/_id(\d+)$/, '_resource$1')} = %${n}_resources.%${id}`), '    ')}
    %${n}_users !empty
    ${layers.ids.map((id) => `%${id.replace(/_id(\d+)$/, '_resource$1')}[ Type == 'AWS::Lambda::LayerVersion' ] !empty`).join(' or\n    ')}
}

let ${n}_layer_permissions = ${ctx.unacknowledged('AWS::Lambda::LayerVersionPermission')}

rule ${n} when %${ctx.functions} !empty {
    when %${n}_layer_permissions !empty {
        %${n}_layer_permissions {
            let ${n}_layer_version_arn = some Properties.LayerVersionArn
${indent(arn.lets, '            ')}
            when ${arn.ids.map((id) => `${n}_used_by(%${id})`).join(' or\n                 ')} {
                # A principal from a parameter or an intrinsic function is not judged.
                Properties.OrganizationId exists or
                ${unlessString('Properties.Principal', "!= '*'")}
                ${messageAt(ctx, '                ')}
            }
        }
    }
}`;
}
