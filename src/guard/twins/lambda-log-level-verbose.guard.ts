import { GuardContext, messageAt } from '../guard-dsl';

/** lambda-log-level-verbose in Guard: none of the level properties is a verbose level. */
export function logLevelVerboseGuard(ctx: GuardContext, data: { properties: readonly string[]; verbose: readonly string[] }): string {
  const levels = `[${data.verbose.map((level) => `'${level}'`).join(', ')}]`;
  return `
rule ${ctx.name} when %${ctx.functions} !empty {
    %${ctx.functions}.Properties {
${data.properties.map((p) => `        LoggingConfig.${p} not exists or LoggingConfig.${p} not in ${levels}\n        ${messageAt(ctx, '        ')}`).join('\n')}
    }
}`;
}
