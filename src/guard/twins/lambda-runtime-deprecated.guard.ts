import { deprecatedRuntimeNames } from '../../rules/lambda/lambda-runtime-deprecated';
import { GuardContext, guardString, zipFunctionsLet } from '../guard-dsl';

/** lambda-runtime-deprecated in Guard: a .zip function's runtime is none of those past their deprecation date. */
export const runtimeDeprecatedGuard = ({ name, functions, message }: GuardContext): string => `
${zipFunctionsLet(`${name}_zip_functions`, functions)}

rule ${name} when %${functions} !empty {
    # A container image carries its own runtime: not judged.
    when %${name}_zip_functions !empty {
        %${name}_zip_functions.Properties {
            # Past their deprecation date when this file was generated. A runtime from a
            # parameter or an intrinsic function (a struct) is not in the list: not judged.
            Runtime not exists or
            Runtime not in [${deprecatedRuntimeNames().map(guardString).join(', ')}]
            ${message}
        }
    }
}`;
