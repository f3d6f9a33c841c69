import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SecureFunctionGuardHook, SecureFunctionRules } from '../../src';
import { guardRuleName } from '../../src/guard/guard-dsl';
import { GUARD_BLOCKING_RULES_FILE, GUARD_RULES_FILE, guardRulesFiles, renderGuardRules } from '../../src/guard/rules-file';
import { CATALOG } from '../../src/rules/catalog';
import { RuleSeverity } from '../../src/rules/rule';
import { runGuard } from '../support/guard-harness';

const ROOT = path.join(__dirname, '..', '..');
const COMMITTED = path.join(ROOT, GUARD_RULES_FILE);

describe('the Guard rules file', () => {
  test('the committed files are what the catalog renders (run `npx projen guard:rules`)', () => {
    expect(fs.readFileSync(COMMITTED, 'utf8')).toBe(renderGuardRules(CATALOG));
    for (const { file, content } of guardRulesFiles(CATALOG)) {
      expect({ file, content: fs.readFileSync(path.join(ROOT, file), 'utf8') }).toEqual({ file, content });
    }
  });

  test('the blocking file holds exactly the blocking rules', () => {
    const names = [...fs.readFileSync(path.join(ROOT, GUARD_BLOCKING_RULES_FILE), 'utf8').matchAll(/^rule ([a-z0-9_]+) when /gm)].map((m) => m[1]);
    expect(names).toEqual(CATALOG.filter((rule) => rule.severity === RuleSeverity.BLOCK).map((rule) => guardRuleName(rule.id)));
    expect(names).toHaveLength(32);
  });

  test('one Guard rule per catalog rule, named after its id, in catalog order', () => {
    const names = [...fs.readFileSync(COMMITTED, 'utf8').matchAll(/^rule ([a-z0-9_]+) when /gm)].map((m) => m[1]);
    expect(names).toEqual(CATALOG.map((rule) => guardRuleName(rule.id)));
  });

  test('each rule carries its id, title and fix in its message', () => {
    const text = fs.readFileSync(COMMITTED, 'utf8');
    for (const rule of SecureFunctionRules.all()) {
      expect(text).toContain(`[${rule.id}] ${rule.title}. Fix: ${rule.fix}`);
    }
  });

  test('the npm package carries it (and so every jsii package, which embeds the npm tarball)', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    const files = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([GUARD_RULES_FILE, GUARD_BLOCKING_RULES_FILE]));
  });

  test('the hook and the package point at the committed file', () => {
    expect(SecureFunctionGuardHook.RULES_FILE).toBe(COMMITTED);
    expect(SecureFunctionGuardHook.BLOCKING_RULES_FILE).toBe(path.join(ROOT, GUARD_BLOCKING_RULES_FILE));
  });

  test('cfn-guard loads it: a template without Lambda functions passes (every rule skips)', () => {
    expect(runGuard({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } } }, COMMITTED)).toEqual({ status: 'SKIP', failures: [] });
  });
});
