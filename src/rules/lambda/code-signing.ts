import { isLiteral } from '../../cfn/references';
import { EXTERNAL } from '../function-view';
import { conditionsOf, idLists } from './dead-letter.guard';
import { zipFunctionsLet } from '../guard/guard-dsl';
import { LambdaRule, RuleSeverity } from '../rule';

/** Only signed code deploys: a code-signing config that enforces. */
export const codeSigning: LambdaRule = {
  id: 'lambda-code-signing',
  title: 'A .zip function has a code-signing config that enforces (UntrustedArtifactOnDeployment: Enforce)',
  severity: RuleSeverity.BLOCK,
  why: 'Without an enforcing config Lambda deploys any package, so code altered in the pipeline or in the staging bucket runs with the function\'s permissions; a config that only warns logs it and deploys it anyway.',
  fix: 'Use SecureFunction (it signs the asset and enforces), or set codeSigningConfig to a lambda.CodeSigningConfig with untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE (CodeSigningConfigArn and CodeSigningPolicies.UntrustedArtifactOnDeployment: Enforce on the L1s).',
  controls: {
    nist80053: ['SI-7', 'CM-14'],
  },
  check(view) {
    if (view.isImage) {
      // Lambda code signing covers .zip packages only: an image is signed in its registry.
      return 'NOT_APPLICABLE';
    }
    const config = view.codeSigningConfig;
    if (config === undefined) {
      return [{ resource: view.fn.resource, problem: 'no code-signing config' }];
    }
    if (config === EXTERNAL) {
      // An imported config (or one from a parameter): the function has one, but its
      // policy cannot be read here. Presence is what can be judged, so it complies.
      return 'COMPLIANT';
    }
    const policy = config.properties.CodeSigningPolicies?.UntrustedArtifactOnDeployment;
    if (policy !== undefined && !isLiteral(policy)) {
      return 'UNRESOLVED';
    }
    if (policy === 'Enforce') {
      return 'COMPLIANT';
    }
    const setting = policy === undefined ? 'no CodeSigningPolicies, Lambda defaults to Warn' : `UntrustedArtifactOnDeployment '${policy}'`;
    return [{ resource: config.resource, problem: `the code-signing config only warns (${setting}): unsigned code deploys anyway` }];
  },
  guard: ({ name, functions, message, unacknowledged }) => {
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
  },
};
