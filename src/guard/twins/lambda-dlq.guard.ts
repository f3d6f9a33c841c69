import { GuardContext } from '../guard-dsl';
import { conditionsOf, idLists, refersTo } from '../id-lists';

/**
 * lambda-dlq in Guard. Guard cannot ask "which resources refer to this
 * function", so each judged function is visited by its logical id. The key
 * capture of `Resources[ ids | ... ]`, as a `when` condition, binds in that
 * block the list of all the matching logical ids (cfn-guard 3.1.1 binds the
 * whole list even in a block over the same query, and a capture repeated in a
 * loop accumulates: it is done once, at rule level); `%ids[*]` then visits them
 * one at a time, and `%resources.%id` is the resource.
 *
 * A function complies with a non-empty DeadLetterConfig.TargetArn, or when an
 * AWS::Lambda::EventInvokeConfig with a non-empty OnFailure destination names it,
 * or names one of its versions or aliases (as FunctionView.eventInvokeConfigs).
 * A target chosen by a condition counts (the Aspect says UNRESOLVED).
 *
 * References are followed in the forms FunctionView's referencedIds reads them
 * in CDK templates: Ref, Fn::GetAtt, and either inside a Fn::Join. A reference
 * written only inside a Fn::Sub string is not followed: Guard then errs on the
 * strict side (the function is reported).
 */
export function deadLetterGuard({ name, functions, message, unacknowledged }: GuardContext): string {
  const resources = `${name}_resources`;
  const onFailure = `${name}_on_failure`;
  const id = `${name}_id`;
  const fn = `${name}_fn`;
  const ids = `${name}_ids`;
  const eicIds = idLists(`${name}_eic`, onFailure, 'Properties.FunctionName');
  const qualified = eicIds.lists.map((_, i) => `${name}_qualified_${i}`);
  return `
let ${resources} = Resources
let ${onFailure} = Resources.*[
    Type == 'AWS::Lambda::EventInvokeConfig'
    Properties.DestinationConfig.OnFailure.Destination exists
    Properties.DestinationConfig.OnFailure.Destination not in ['']
]
# The logical ids the covering configs name.
${eicIds.lets.join('\n')}
# The versions and aliases among them.
${eicIds.lists.map((list, i) => `let ${qualified[i]} = %${resources}[ keys in %${list} ]`).join('\n')}

rule ${name} when %${functions} !empty {
    when Resources[ ${ids} | ${conditionsOf(unacknowledged('AWS::Lambda::Function'))} ] !empty {
        %${ids}[*] {
            let ${id} = this
            let ${fn} = %${resources}.%${id}
            let ${name}_direct = %${onFailure}[
                ${refersTo('Properties.FunctionName', id, ' '.repeat(16))}
            ]
${qualified.map((q, i) => `            let ${name}_via_${i} = %${q}[
                Type in ['AWS::Lambda::Version', 'AWS::Lambda::Alias']
                ${refersTo('Properties.FunctionName', id, ' '.repeat(16))}
            ]`).join('\n')}
            when %${name}_direct empty
${qualified.map((_, i) => `                 %${name}_via_${i} empty`).join('\n')} {
                %${fn}.Properties.DeadLetterConfig.TargetArn not in ['']
                ${message}
            }
        }
    }
}`;
}
