import { GuardContext, zipFunctionsLet } from '../guard-dsl';
import { conditionsOf, idLists } from '../id-lists';

/** lambda-code-signing in Guard: a .zip function names a code-signing config, and the configs in the stack enforce. */
export const codeSigningGuard = ({ name, functions, message, unacknowledged }: GuardContext): string => {
  const zip = `${name}_zip_functions`;
  const configIds = idLists(`${name}_config`, zip, 'Properties.CodeSigningConfigArn');
  return `
# Code signing covers .zip packages only: an image is signed in its registry.
${zipFunctionsLet(zip, functions)}
# The logical ids their CodeSigningConfigArn refers to. A config that is not in the
# stack (an ARN, a parameter) cannot be read: presence complies.
${configIds.lets.join('\n')}
let ${name}_resources = Resources

rule ${name} when %${functions} !empty {
    when %${zip} !empty {
        %${zip}.Properties {
            CodeSigningConfigArn exists
            ${message}
        }
    }
    # Each code-signing config (by logical id) that a judged function uses.
    when Resources[ ${name}_ids | ${conditionsOf(unacknowledged('AWS::Lambda::CodeSigningConfig'))} ] !empty {
        %${name}_ids[*] {
            let ${name}_id = this
            when ${configIds.lists.map((list) => `%${name}_id in %${list}`).join(' or\n                 ')} {
                let ${name}_config = %${name}_resources.%${name}_id
                # A policy from a parameter or an intrinsic function is not judged; none is Warn.
                %${name}_config.Properties.CodeSigningPolicies.UntrustedArtifactOnDeployment is_struct or
                %${name}_config.Properties.CodeSigningPolicies.UntrustedArtifactOnDeployment == 'Enforce'
                ${message}
            }
        }
    }
}`;
};
