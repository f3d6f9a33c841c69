// Writes the catalog's CloudFormation Guard rules files (guard/secure-function.guard, every
// rule; guard/secure-function-blocking.guard, the blocking ones a hook enforces).
// Run by `npx projen guard:rules` and before every compile; a test fails when the
// committed file differs from what the catalog renders.
import * as fs from 'fs';
import * as path from 'path';
import { guardRulesFiles } from '../src/guard/rules-file';
import { CATALOG } from '../src/rules/catalog';

for (const { file, content } of guardRulesFiles(CATALOG)) {
  const out = path.join(__dirname, '..', file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, content);
  console.log(`Written: ${file}`);
}
