import * as fs from 'fs';
import * as path from 'path';
import { OrgDefaults } from '../../src/aspects/org-defaults';
import { CATALOG } from '../../src/rules/catalog';

const SRC = path.join(__dirname, '..', '..', 'src');
const RULE_FILES = path.join(SRC, 'rules', 'lambda');

/** Every .ts file under src, but the deploy-time handlers (Lambda runtime code). */
function sources(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full.includes(`${path.sep}handlers`) ? [] : sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The string and template literals of a source file (what messages are made of), comments left out. */
function literals(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g)].map((m) => m[0]);
}

/** The rule ids a literal cites: `rule <id>`, `[<id>]`, or the whole literal when it looks like a rule id. */
function citedIds(literal: string): string[] {
  const ids = [
    ...[...literal.matchAll(/\brule ([a-z]{2,}(?:-[a-z0-9]{2,})+)/g)].map((m) => m[1]),
    ...[...literal.matchAll(/\[([a-z]{2,}(?:-[a-z0-9]{2,})+)\]/g)].map((m) => m[1]),
  ];
  const whole = /^['"`](lambda-[a-z0-9-]+)['"`]$/.exec(literal);
  return whole ? [...ids, whole[1]] : ids;
}

describe('the catalog', () => {
  const ids = CATALOG.map((rule) => rule.id);

  test('has unique ids, each rule in a file named after it', () => {
    expect(new Set(ids).size).toBe(ids.length);
    const files = fs.readdirSync(RULE_FILES).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(files).toEqual([...ids].sort());
    for (const id of ids) {
      expect({ id, declares: fs.readFileSync(path.join(RULE_FILES, `${id}.ts`), 'utf8').includes(`id: '${id}'`) }).toEqual({ id, declares: true });
    }
  });

  test('every rule has one fixture table, test/rules/lambda/<id>.test.ts, that both engines run', () => {
    const tables = path.join(__dirname, 'lambda');
    const files = fs.readdirSync(tables).filter((f) => f.endsWith('.test.ts')).map((f) => f.replace(/\.test\.ts$/, '')).sort();
    expect(files).toEqual([...ids].sort());
    for (const id of ids) {
      const text = fs.readFileSync(path.join(tables, `${id}.test.ts`), 'utf8');
      expect({ id, table: /\bruleTable\(/.test(text) }).toEqual({ id, table: true });
    }
  });

  test('every message of the library cites only ids the catalog has (and OrgDefaults\' runtime floor its own)', () => {
    const known = new Set([...ids, OrgDefaults.RUNTIME_FLOOR_CHECK]);
    const unknown = sources().flatMap((file) => literals(file).flatMap(citedIds)
      .filter((id) => !known.has(id))
      .map((id) => `${path.relative(SRC, file)}: ${id}`));
    expect(unknown).toEqual([]);
  });

  test('the citation check finds a cited id, so a clean result means something', () => {
    expect(citedIds('\'must be AWS_IAM (rule lambda-url-auth: a URL without auth is public)\'')).toEqual(['lambda-url-auth']);
    expect(citedIds('`[lambda-public-invoke] title`')).toEqual(['lambda-public-invoke']);
    expect(citedIds('\'lambda-no-inline-policy\'')).toEqual(['lambda-no-inline-policy']);
  });
});
