import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The folders of src/, bottom to top, as docs/development.md explains them: a file
 * imports from its own folder or from a folder below it, never from one above.
 */
const LAYERS = [
  'cfn', 'rules', 'iam', 'integrations', 'aspects', 'report',
  'deploy-time', 'signing', 'network', 'observability',
  'baseline', 'guard', 'guardrails', 'hardening', 'mixins',
];
/** The files at the top of src/: the SecureFunction facade and the package barrel. */
const ROOT = '(root)';
const SRC = path.join(__dirname, '..', 'src');
const HANDLERS = path.join(SRC, 'deploy-time', 'handlers');
const MAX_LINES = 400;
/** Generated from the Service Authorization Reference; read by a lookup, not by people. */
const GENERATED = new Set(['iam/iam-reference.generated.ts']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(file);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The files a source file imports or re-exports by relative path, resolved. */
function relativeImports(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((i) => i.fileName).filter((name) => name.startsWith('.')).map((name) => {
    const target = path.resolve(path.dirname(file), name);
    return fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts');
  });
}

function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length > 1 ? parts[0] : ROOT;
}

function rankOf(folder: string): number {
  return folder === ROOT ? LAYERS.length : LAYERS.indexOf(folder);
}

type ImportGraph = ReadonlyMap<string, readonly string[]>;

function upwardImports(graph: ImportGraph): string[] {
  return [...graph.entries()].flatMap(([file, targets]) => targets
    .filter((target) => rankOf(folderOf(target)) > rankOf(folderOf(file)))
    .map((target) => `${rel(file)} (${folderOf(file)}) imports ${rel(target)} (${folderOf(target)})`));
}

function cyclesOf(graph: ImportGraph): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]): void => {
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(target)), target].map(rel).join(' -> '));
      } else if (!state.has(target)) {
        visit(target, [...trail, target]);
      }
    }
    state.set(file, 'done');
  };
  [...graph.keys()].forEach((file) => state.has(file) || visit(file, [file]));
  return cycles;
}

const library = sourceFiles(SRC).filter((file) => !file.startsWith(HANDLERS + path.sep));
const imports = new Map(library.map((file) => [file, relativeImports(file)]));
const rel = (file: string) => path.relative(SRC, file);

describe('the layout of src/', () => {
  test('every folder of src/ has a place in the layer order, and every layer is a folder', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual([...LAYERS].sort());
  });

  test('every import points down: to the same folder or a lower layer', () => {
    expect(upwardImports(imports)).toEqual([]);
  });

  test('no import cycle between files', () => {
    expect(cyclesOf(imports)).toEqual([]);
  });

  test('the checks catch a planted upward import and a planted cycle', () => {
    const rule = path.join(SRC, 'rules', 'rule.ts');
    const catalog = path.join(SRC, 'rules', 'catalog.ts');
    const hardening = path.join(SRC, 'hardening', 'index.ts');
    const planted = new Map(imports);
    planted.set(rule, [...imports.get(rule)!, hardening]);
    expect(upwardImports(planted)).toEqual(['rules/rule.ts (rules) imports hardening/index.ts (hardening)']);
    const resourceRule = path.join(SRC, 'rules', 'resource-rule.ts');
    const cyclic = new Map(imports);
    cyclic.set(resourceRule, [...imports.get(resourceRule)!, catalog]);
    expect(imports.get(catalog)).toContain(resourceRule);
    expect(cyclesOf(cyclic)).toEqual(expect.arrayContaining([expect.stringMatching(/rules\/resource-rule\.ts -> rules\/catalog\.ts$/)]));
  });

  test('there is no package-wide grab bag: no src/private/ or src/**/private/ with more than a handful of files', () => {
    const privates = library.filter((file) => file.split(path.sep).includes('private'));
    const perFolder = new Map<string, number>();
    privates.forEach((file) => perFolder.set(path.dirname(file), (perFolder.get(path.dirname(file)) ?? 0) + 1));
    expect(fs.existsSync(path.join(SRC, 'private'))).toBe(false);
    expect([...perFolder.entries()].filter(([, count]) => count > 5)).toEqual([]);
  });

  test(`no hand-written source file is past ${MAX_LINES} lines`, () => {
    const long = library
      .filter((file) => !GENERATED.has(rel(file).split(path.sep).join('/')))
      .map((file) => ({ file: rel(file), lines: fs.readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  test('the deploy-time handlers are bundled alone: they import only each other and packages', () => {
    const handlers = sourceFiles(HANDLERS);
    const outside = handlers.flatMap((file) => relativeImports(file)
      .filter((target) => !target.startsWith(HANDLERS + path.sep))
      .map((target) => `${rel(file)} imports ${rel(target)}`));
    expect(handlers.length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  });

  test('docs/development.md describes the same layer order', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'development.md'), 'utf8');
    const section = page.slice(page.indexOf('<!-- layers -->'), page.indexOf('<!-- /layers -->'));
    const listed = [...section.matchAll(/^\d+\. \*\*([a-z-]+)\/\*\*/gm)].map((m) => m[1]);
    expect(listed).toEqual(LAYERS);
  });
});
