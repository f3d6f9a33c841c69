import * as fs from 'fs';
import * as path from 'path';
import { LAMBDA_CONFIG_RULES } from '../../src/observability/lambda-config-rules';
import { CATALOG } from '../../src/rules/catalog';
import { enforcementOf, preventionSid } from '../../src/rules/prevention';

// The Service Authorization Reference's Lambda actions, with the condition keys each takes.
const ACTIONS: Record<string, { name: string; conditionKeys?: string[] }> = JSON.parse(fs.readFileSync(
  path.join(__dirname, '..', '..', 'node_modules', '@cloud-copilot', 'iam-data', 'data', 'actions', 'lambda.json'), 'utf8'));

const clauses = CATALOG.flatMap((rule) => (rule.prevention ?? []).map((clause) => ({ rule, clause })));

describe('the preventive forms the rules declare', () => {
  test('each names Lambda actions that exist, and a condition key each of them takes (Service Authorization Reference)', () => {
    const wrong: string[] = [];
    for (const { rule, clause } of clauses) {
      for (const action of clause.actions) {
        const entry = ACTIONS[action.replace(/^lambda:/, '').toLowerCase()];
        if (!entry) wrong.push(`${rule.id}: no action ${action}`);
        else if (clause.key && !(entry.conditionKeys ?? []).includes(clause.key)) wrong.push(`${rule.id}: ${action} takes no ${clause.key}`);
      }
      if ((clause.deny === 'always') !== (clause.key === undefined)) wrong.push(`${rule.id}: ${clause.sid} needs a key unless it refuses the action outright`);
    }
    expect(wrong).toEqual([]);
    expect(clauses.length).toBeGreaterThanOrEqual(12);
  });

  test('every Sid is unique and names its rule', () => {
    const sids = clauses.map(({ rule, clause }) => preventionSid(rule.id, clause));
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids).toContain('LambdaInsideVpcFunctionsInsideVpc');
    expect(sids.every((sid) => /^Lambda[A-Za-z0-9]+$/.test(sid))).toBe(true);
  });

  test('every AWS Config rule a rule says detects it is one SecurityBaseline deploys', () => {
    const deployed = new Set(LAMBDA_CONFIG_RULES.map((r) => r.identifier));
    const named = CATALOG.flatMap((rule) => enforcementOf(rule).awsConfig);
    expect(named.filter((id) => !deployed.has(id))).toEqual([]);
    expect(new Set(named).size).toBe(5);
  });
});
