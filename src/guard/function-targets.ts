import { GuardContext, guardString, ruleIdOfGuardName } from './guard-dsl';

/*
 * Guard helpers shared by the rules that judge a resource pointing at the function
 * (permissions, URLs, layer permissions), and the Guard text of lambda-invoke-public.
 *
 * Guard 3.1 cannot bind a resource's logical id while looping over resources (a key
 * capture `Resources[ id | ... ]` holds every key, not the current one), so the rules
 * go the other way: from the resource they report, they look up what its property
 * refers to by interpolation (`%<name>_resources.%ids`) and judge it when that is a
 * function the rule judges, or a version or alias of one.
 */

/**
 * How deep under a property Guard looks for `Ref` and `Fn::GetAtt` (referencedIds
 * looks everywhere): 4 covers `Fn::Join` (depth 3) and `Fn::If` or `Fn::Select` around
 * a reference; deeper nesting is not followed, and Guard passes what it does not find.
 */
const DEPTH = 4;

/**
 * The first and the last `${LogicalId}` / `${LogicalId.Attr}` of an `Fn::Sub` template
 * (logical ids are alphanumeric, so `${AWS::Region}` and `${!Literal}` are skipped). A
 * template naming three or more resources is followed through its first and last only.
 */
const SUB_REFERENCES = ['^.*?[$][{]([A-Za-z0-9]+)(?:[.][^}]*)?[}].*$', '^.*[$][{]([A-Za-z0-9]+)(?:[.][^}]*)?[}].*$'];

const VERSION_TYPES = ['AWS::Lambda::Version', 'AWS::Lambda::Alias'];

/** Queries for the logical ids under `base` in `Ref` and `Fn::GetAtt`, one per form and depth. */
export function referenceQueries(base: string): string[] {
  const queries: string[] = [];
  for (let depth = 0; depth <= DEPTH; depth++) {
    const under = '.*'.repeat(depth);
    queries.push(`${base}${under}.Ref`, `${base}${under}.'Fn::GetAtt'[0]`);
  }
  return queries;
}

/** Guard `let`s binding the logical ids `%<value>` refers to (`Fn::Sub` included), one variable per form. */
export function referenceLets(prefix: string, value: string): { lets: string[]; ids: string[] } {
  const queries = referenceQueries(`%${value}`).map((query) => `some ${query}`);
  const lets = [
    `let ${prefix}_sub = some %${value}.'Fn::Sub'`,
    `let ${prefix}_sub_list = some %${value}.'Fn::Sub'[0]`,
  ];
  for (const template of [`${prefix}_sub`, `${prefix}_sub_list`]) {
    for (const pattern of SUB_REFERENCES) {
      queries.push(`regex_replace(%${template}, ${guardString(pattern)}, "\${1}")`);
    }
  }
  const ids = queries.map((_, i) => `${prefix}_id${i}`);
  queries.forEach((query, i) => lets.push(`let ${ids[i]} = ${query}`));
  return { lets, ids };
}


/**
 * Declarations for rules that report a resource pointing at the function: the
 * `<name>_resources` root, and the parameterized rule `<name>_names_target(value)`
 * that holds when `value` refers to a function the rule judges, or to a version or
 * alias of one (FunctionView.targets). Returns the text and the `when` condition for
 * a variable.
 */
export function functionTargets(ctx: GuardContext): { declarations: string; names: (variable: string) => string } {
  const n = ctx.name;
  const ruleId = ruleIdOfGuardName(n);
  const resolve = (prefix: string, value: string) => {
    const { lets, ids } = referenceLets(prefix, value);
    const targets = ids.map((id) => id.replace(/_id(\d+)$/, '_target$1'));
    ids.forEach((id, i) => lets.push(`let ${targets[i]} = %${n}_resources.%${id}`));
    return { lets, targets };
  };
  const fn = resolve(`${n}_fn`, 'value');
  const target = resolve(`${n}_tg`, 'value');
  const viaVersions = target.targets.map((t, i) => ({
    let: `let ${n}_tg_version${i} = some %${t}[ Type in [${VERSION_TYPES.map((type) => `'${type}'`).join(', ')}] ].Properties.FunctionName`,
    call: `${n}_names_function(%${n}_tg_version${i})`,
  }));
  const indent = (lines: string[]) => lines.map((line) => `    ${line}`).join('\n');
  const declarations = `
let ${n}_resources = Resources

# Whether some of \`targets\` (resources) is a function ${ruleId} judges.
rule ${n}_judged(targets) {
    %targets[
        Type == 'AWS::Lambda::Function'
        Metadata.guard.SuppressedRules not exists or
        Metadata.guard.SuppressedRules.* != ${guardString(ruleId)}
    ] !empty
}

# Whether \`value\` (a property) refers to a function ${ruleId} judges.
rule ${n}_names_function(value) {
${indent(fn.lets)}
    ${fn.targets.map((t) => `${n}_judged(%${t})`).join(' or\n    ')}
}

# Whether \`value\` refers to a function ${ruleId} judges, or to one of its versions or aliases.
rule ${n}_names_target(value) {
${indent(target.lets)}
${indent(viaVersions.map((v) => v.let))}
    ${[...target.targets.map((t) => `${n}_judged(%${t})`), ...viaVersions.map((v) => v.call)].join(' or\n    ')}
}`;
  return { declarations, names: (variable) => `${n}_names_target(%${variable})` };
}
