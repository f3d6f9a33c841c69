import { GuardContext, messageAt } from '../guard-dsl';

/** lambda-inspector-excluded in Guard: no tag with an exclusion key and the value Inspector reads for it. */
export function inspectorExcludedGuard(ctx: GuardContext, tags: Readonly<Record<string, string>>): string {
  const lines = Object.entries(tags).map(([key, value]) =>
    `        Tags[ Key == '${key}' Value == '${value}' ] empty\n        ${messageAt(ctx, '        ')}`);
  return `
rule ${ctx.name} when %${ctx.functions} !empty {
    %${ctx.functions}.Properties {
        # Tags from a parameter or an intrinsic function are not judged.
        when Tags exists
             Tags is_list {
${lines.map((l) => l.replace(/^ {8}/gm, '            ')).join('\n')}
        }
    }
}`;
}
