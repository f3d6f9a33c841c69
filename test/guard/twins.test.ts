import { GuardContext } from '../../src/guard/guard-dsl';
import { propertyTwin } from '../../src/guard/property-twins';
import { guardTwinOf, writtenTwinIds } from '../../src/guard/twins';
import { CATALOG } from '../../src/rules/catalog';
import { isPropertyRule, propertyRule } from '../../src/rules/property-rule';
import { RuleSeverity } from '../../src/rules/rule';

const CTX: GuardContext = { name: 'x_rule', functions: 'x_rule_functions', message: '<<\n    [x-rule] m\n>>', unacknowledged: (type) => `Resources.*[ Type == '${type}' ]` };

describe('the Guard twins', () => {
  test('every catalog rule has exactly one: derived from its declaration, or written', () => {
    const declared = CATALOG.filter(isPropertyRule).map((rule) => rule.id).sort();
    const written = writtenTwinIds().sort();
    expect(declared).toEqual(['lambda-code-package-cmk', 'lambda-env-cmk', 'lambda-reserved-concurrency', 'lambda-tracing']);
    expect([...declared, ...written].sort()).toEqual(CATALOG.map((rule) => rule.id).sort());
    for (const rule of CATALOG) {
      expect(guardTwinOf(rule)(CTX)).toMatch(new RegExp(`rule ${CTX.name} when %${CTX.functions} !empty`));
    }
  });

  test('a rule with neither is refused, naming both ways to give it one', () => {
    const orphan = { id: 'lambda-orphan', title: 't', severity: RuleSeverity.WARN, why: 'w', fix: 'f', controls: {}, check: () => 'COMPLIANT' as const };
    expect(() => guardTwinOf(orphan)).toThrow(/lambda-orphan has no Guard twin: declare it as a property check .* or write one in guard\/twins\//);
  });

  test('a declared property check renders its clauses, in order, under its notes', () => {
    const rule = propertyRule({ id: 'x-rule', title: 't', severity: RuleSeverity.BLOCK, why: 'w', fix: 'f', controls: {} }, {
      scope: 'functions',
      notes: ['first note'],
      passWhen: [
        { kind: 'absent', path: 'A.B' }, { kind: 'empty', path: 'A.B' }, { kind: 'intrinsic', path: 'C' },
        { kind: 'intrinsic-object', path: 'A' }, { kind: 'equals', path: 'D', value: 'On' }, { kind: 'present', path: 'E' },
        { kind: 'non-empty', path: 'F' },
      ],
      problem: () => 'p',
    });
    expect(propertyTwin(rule.propertyCheck, CTX).trim()).toBe([
      'rule x_rule when %x_rule_functions !empty {',
      '    %x_rule_functions.Properties {',
      '        # first note',
      '        A.B not exists or',
      '        A.B empty or',
      '        C is_struct or',
      '        A[ keys == /^(Ref$|Fn::)/ ] !empty or',
      "        D == 'On' or",
      '        E exists or',
      "        F not in ['']",
      '        <<',
      '    [x-rule] m',
      '>>',
      '    }',
      '}',
    ].join('\n'));
  });

  test('a check of .zip functions only judges them through their own variable', () => {
    const rule = propertyRule({ id: 'x-rule', title: 't', severity: RuleSeverity.WARN, why: 'w', fix: 'f', controls: {} }, {
      scope: 'zip-functions', scopeNote: 'images are not judged', notes: [], passWhen: [{ kind: 'present', path: 'P' }], problem: () => 'p',
    });
    const text = propertyTwin(rule.propertyCheck, CTX);
    expect(text).toContain('let x_rule_zip_functions = %x_rule_functions[');
    expect(text).toContain('    # images are not judged\n    when %x_rule_zip_functions !empty {\n        %x_rule_zip_functions.Properties {\n            P exists');
  });
});
