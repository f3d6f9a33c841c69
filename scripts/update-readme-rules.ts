// Rewrites the rules table of README.md from the catalog (npx projen rules:readme).
import * as fs from 'fs';
import * as path from 'path';
import { renderRulesTable, RULES_TABLE_END, RULES_TABLE_START } from '../src/rules/rules-table';

const readmePath = path.join(__dirname, '..', 'README.md');
const readme = fs.readFileSync(readmePath, 'utf8');
const start = readme.indexOf(RULES_TABLE_START);
const end = readme.indexOf(RULES_TABLE_END);
if (start < 0 || end < start) {
  throw new Error(`README.md has no rules table markers (${RULES_TABLE_START} ... ${RULES_TABLE_END})`);
}
fs.writeFileSync(readmePath, readme.slice(0, start) + renderRulesTable() + readme.slice(end + RULES_TABLE_END.length));
console.log('README.md rules table updated');
