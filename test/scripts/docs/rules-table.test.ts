import { renderRulesTable } from '../../../scripts/docs/rules-table';
import { SecureFunctionRules } from '../../../src';

describe('the rules table of docs/guard-and-rules.md', () => {
  test('has one row per rule, with its default and controls', () => {
    const table = renderRulesTable();
    for (const rule of SecureFunctionRules.all()) {
      expect(table).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
    }
    expect(table).toContain('CT CT.LAMBDA.PR.3');
  });
});
