import { GuardContext, zipFunctionsLet } from './guard-dsl';
import { PropertyClause, PropertyRule } from '../rules/property-rule';
import { isResourceRule } from '../rules/resource-rule';

/** The keys of an intrinsic function object (isIntrinsic), as a Guard regex. */
const INTRINSIC_KEY = '/^(Ref$|Fn::)/';

/** One clause of a property check, as Guard writes it (see PropertyClause for what each means). */
function guardClause(clause: PropertyClause): string {
  switch (clause.kind) {
    case 'absent': return `${clause.path} not exists`;
    case 'empty': return `${clause.path} empty`;
    case 'intrinsic': return `${clause.path} is_struct`;
    case 'intrinsic-object': return `${clause.path}[ keys == ${INTRINSIC_KEY} ] !empty`;
    case 'equals': return `${clause.path} == '${clause.value}'`;
    // A string other than the value: a regex that matches everything but it (Guard has no 'and' inside an 'or').
    case 'not-equals': return `${clause.path} == /^(?!${escapeRegex(clause.value)}$)/`;
    case 'present': return `${clause.path} exists`;
    case 'non-empty': return `${clause.path} not in ['']`;
  }
}

/**
 * The Guard twin of a rule declared as a property check (rules/property-rule.ts):
 * the judged functions' Properties pass when any clause holds, the same
 * clauses in the same order that the rule's check reads.
 */
export function propertyTwin(rule: PropertyRule, ctx: GuardContext): string {
  const declaration = rule.propertyCheck;
  if (isResourceRule(rule)) {
    const resources = `${ctx.name}_judged_resources`;
    return `
let ${resources} = ${ctx.unacknowledged(rule.resourceTypes[0])}

rule ${ctx.name} when %${resources} !empty {
    %${resources}.Properties {
${declaration.notes.map((note) => `        # ${note}`).join('\n')}
        ${declaration.passWhen.map(guardClause).join(' or\n        ')}
        ${ctx.message.replace(/\n/g, '\n        ')}
    }
}`;
  }
  const zip = declaration.scope === 'zip-functions';
  const target = zip ? `${ctx.name}_zip_functions` : ctx.functions;
  const indent = zip ? '            ' : '        ';
  const block = [
    `%${target}.Properties {`,
    ...declaration.notes.map((note) => `    # ${note}`),
    `    ${declaration.passWhen.map(guardClause).join(` or\n${indent}`)}`,
    `    ${ctx.message}`,
    '}',
  ].join(`\n${indent.slice(4)}`);
  if (!zip) {
    return `
rule ${ctx.name} when %${ctx.functions} !empty {
    ${block}
}`;
  }
  return `
${zipFunctionsLet(target, ctx.functions)}

rule ${ctx.name} when %${ctx.functions} !empty {
    # ${declaration.scopeNote}
    when %${target} !empty {
        ${block}
    }
}`;
}

/** A literal as a Guard (Rust) regex that matches exactly it. */
function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
