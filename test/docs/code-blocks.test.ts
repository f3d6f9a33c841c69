import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Every TypeScript block of README.md and docs/*.md compiles against the
// library as a user imports it ('cdk-secure-function'), under the project's
// strict settings. (jsii-rosetta compiles the README's in strict mode too, in CI.)

const ROOT = path.join(__dirname, '..', '..');

interface CodeBlock {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of a Markdown file, with the line each starts on. */
function typescriptBlocks(file: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^```(ts|typescript)\s*$/.test(lines[i])) {
      const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
      blocks.push({ file, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
      i = end;
    }
  }
  return blocks;
}

const markdown = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = markdown.flatMap((file) => typescriptBlocks(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));

/** Compiles the blocks, each as a module of its own beside the docs; the diagnostics by block. */
function compile(code: readonly CodeBlock[]): Map<CodeBlock, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.dev.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  // A block shows a piece of an app: what it declares need not be used after it.
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
  const virtual = new Map(code.map((block, i) => [path.join(ROOT, 'docs', `.block-${i}.ts`), block]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => {
    const block = virtual.get(path.resolve(name));
    return block ? ts.createSourceFile(name, block.code, version) : getSourceFile(name, version, onError);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(path.resolve(name)) || fileExists(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const problems = new Map<CodeBlock, string[]>();
  for (const [name, block] of virtual) {
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(name));
    problems.set(block, diagnostics.map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
      return `${block.file}:${block.line + 1 + at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }));
  }
  return problems;
}

describe('the TypeScript blocks of README.md and docs/', () => {
  const problems = compile(blocks);

  test('there are blocks in the README and in the docs', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(1);
    expect(new Set(blocks.map((b) => b.file)).size).toBeGreaterThanOrEqual(6);
  });

  test.each(markdown)('every block of %s compiles', (file) => {
    expect(blocks.filter((b) => b.file === file).flatMap((b) => problems.get(b)!)).toEqual([]);
  });

  test('a block that does not compile is reported with its file and line', () => {
    const broken = { file: 'docs/x.md', line: 10, code: 'import { SecureFunction } from \'cdk-secure-function\';\nconst n: number = SecureFunction;' };
    expect(compile([broken]).get(broken)).toEqual([expect.stringMatching(/^docs\/x\.md:12: Type 'typeof SecureFunction' is not assignable to type 'number'/)]);
  });
});
