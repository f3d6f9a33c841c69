import { GuardContext, messageAt } from '../guard-dsl';

/** lambda-microvm-image-capabilities in Guard: no forbidden capability in the list, whatever its case. */
export function microvmImageCapabilitiesGuard(ctx: GuardContext, forbidden: readonly string[]): string {
  const n = ctx.name;
  return `
let ${n}_images = ${ctx.unacknowledged('AWS::Lambda::MicrovmImage')}

rule ${n} when %${n}_images !empty {
    %${n}_images {
        # A list from a parameter or an intrinsic function is not judged.
        Properties.AdditionalOsCapabilities not exists or
        Properties.AdditionalOsCapabilities !is_list or
        Properties.AdditionalOsCapabilities empty or
        Properties.AdditionalOsCapabilities[*] != /(?i)^(${forbidden.join('|')})$/
        ${messageAt(ctx, '        ')}
    }
}`;
}
