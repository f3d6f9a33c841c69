import * as fs from 'fs';
import * as path from 'path';
import { SecureFunctionRules } from '../../src';
import { renderRulesTable } from '../../src/rules/rules-table';

describe('the README rules table', () => {
  test('is the one generated from the catalog (run `npx projen rules:readme` after changing a rule)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(renderRulesTable());
  });

  test('has one row per rule, with its default and controls', () => {
    const table = renderRulesTable();
    for (const rule of SecureFunctionRules.all()) {
      expect(table).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
    }
    expect(table).toContain('CT CT.LAMBDA.PR.3');
  });
});
