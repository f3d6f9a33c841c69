import * as path from 'path';
import * as ts from 'typescript';
import * as lib from '../src';

// What src/index.ts exports is what every jsii language sees: classes, enums and
// interfaces. A function, constant or type alias would reach TypeScript users
// only (jsii has no place for them), so none is exported.

const INDEX = path.join(__dirname, '..', 'src', 'index.ts');

function exportedDeclarations(): Array<{ name: string; kind: string }> {
  const program = ts.createProgram([INDEX], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
  return checker.getExportsOfModule(module).map((symbol) => {
    // eslint-disable-next-line no-bitwise
    const target = (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    return { name: symbol.name, kind: declaration ? ts.SyntaxKind[declaration.kind] : 'unknown' };
  });
}

describe('the public surface', () => {
  const declarations = exportedDeclarations();

  test('every export is a class, an enum or an interface', () => {
    const others = declarations.filter((d) => !['ClassDeclaration', 'EnumDeclaration', 'InterfaceDeclaration'].includes(d.kind));
    expect(others).toEqual([]);
  });

  test('every runtime export is a class or an enum the declarations name', () => {
    const runtime = Object.keys(lib).sort();
    const classesAndEnums = declarations.filter((d) => d.kind !== 'InterfaceDeclaration').map((d) => d.name).sort();
    expect(runtime).toEqual(classesAndEnums);
    expect(runtime).toEqual(expect.arrayContaining(['SecureFunction', 'LambdaHardening', 'LambdaRulesAspect', 'SecureFunctionChecks']));
  });
});
