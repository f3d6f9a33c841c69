import { LAMBDA_RULE_PREFIX } from '../../rules/lambda/lambda-config-rules';
import { GuardContext } from '../guard-dsl';

/*
 * lambda-config-rules in Guard, a stack-wide rule: every judged function fails, on
 * itself, when the stack has no Config rule whose SourceIdentifier is a LAMBDA_*
 * literal, and none from an intrinsic (UNRESOLVED). Acknowledged on the stack,
 * every function is left out.
 */
export const configRulesGuard = ({ name, functions, message }: GuardContext): string => `
let ${name}_config_rules = Resources.*[ Type == 'AWS::Config::ConfigRule' ]
let ${name}_lambda_rules = %${name}_config_rules[ Properties.Source.SourceIdentifier == /${LAMBDA_RULE_PREFIX.source}/ ]
let ${name}_unknown_rules = %${name}_config_rules[ Properties.Source.SourceIdentifier exists  Properties.Source.SourceIdentifier !is_string ]

rule ${name} when %${functions} !empty {
    when %${name}_lambda_rules empty  %${name}_unknown_rules empty {
        %${functions} {
            this !exists
            ${message}
        }
    }
}`;
