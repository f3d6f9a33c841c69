import { GuardContext } from '../../src/guard/guard-dsl';
import { propertyTwin } from '../../src/guard/property-twins';
import { guardTwinOf, writtenTwinIds } from '../../src/guard/twins';
import { CATALOG } from '../../src/rules/catalog';
import { isPropertyRule, propertyRule, resourcePropertyRule } from '../../src/rules/property-rule';
import { isResourceRule } from '../../src/rules/resource-rule';
import { RuleSeverity } from '../../src/rules/rule';

const CTX: GuardContext = { name: 'x_rule', functions: 'x_rule_functions', message: '<<\n    [x-rule] m\n>>', unacknowledged: (type) => `Resources.*[ Type == '${type}' ]` };

describe('the Guard twins', () => {
  test('every catalog rule has exactly one: derived from its declaration, or written', () => {
    const declared = CATALOG.filter(isPropertyRule).map((rule) => rule.id).sort();
    const written = writtenTwinIds().sort();
    expect(declared).toEqual([
      'lambda-capacity-provider-cmk', 'lambda-code-package-cmk', 'lambda-durable-cmk', 'lambda-env-cmk', 'lambda-layer-public', 'lambda-microvm-image-cmk',
      'lambda-recursive-loop-allowed', 'lambda-reserved-concurrency', 'lambda-runtime-updates-manual', 'lambda-snapstart-cmk',
      'lambda-stream-on-failure', 'lambda-tracing', 'lambda-web-endpoint-auth', 'lambda-web-revision-cmk', 'lambda-web-revision-egress',
    ]);
    expect([...declared, ...written].sort()).toEqual(CATALOG.map((rule) => rule.id).sort());
    for (const rule of CATALOG) {
      // A rule about functions judges nothing in a stack without one; a rule about another type judges it wherever it is.
      expect(guardTwinOf(rule)(CTX)).toMatch(isResourceRule(rule) ? new RegExp(`rule ${CTX.name} when %${CTX.name}_\\w+ !empty`) : new RegExp(`rule ${CTX.name} when %${CTX.functions} !empty`));
      expect(guardTwinOf(rule)(CTX)).not.toMatch(isResourceRule(rule) ? new RegExp(`%${CTX.functions}\\b`) : /^$/);
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
        { kind: 'non-empty', path: 'F' }, { kind: 'not-equals', path: 'G', value: '*' },
      ],
      problem: () => 'p',
    });
    expect(propertyTwin(rule, CTX).trim()).toBe([
      'rule x_rule when %x_rule_functions !empty {',
      '    %x_rule_functions.Properties {',
      '        # first note',
      '        A.B not exists or',
      '        A.B empty or',
      '        C is_struct or',
      '        A[ keys == /^(Ref$|Fn::)/ ] !empty or',
      "        D == 'On' or",
      '        E exists or',
      "        F not in [''] or",
      '        G == /^(?!\\*$)/',
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
    const text = propertyTwin(rule, CTX);
    expect(text).toContain('let x_rule_zip_functions = %x_rule_functions[');
    expect(text).toContain('    # images are not judged\n    when %x_rule_zip_functions !empty {\n        %x_rule_zip_functions.Properties {\n            P exists');
  });

  test('a declared property check of another resource type judges every resource of it, functions or not', () => {
    const rule = resourcePropertyRule({ id: 'x-rule', title: 't', severity: RuleSeverity.BLOCK, why: 'w', fix: 'f', controls: {} }, 'AWS::Lambda::Thing', {
      notes: ['a note'], passWhen: [{ kind: 'equals', path: 'Mode', value: 'Safe' }, { kind: 'intrinsic', path: 'Mode' }], problem: () => 'p',
    });
    expect(propertyTwin(rule, CTX).trim()).toBe([
      "let x_rule_judged_resources = Resources.*[ Type == 'AWS::Lambda::Thing' ]",
      '',
      'rule x_rule when %x_rule_judged_resources !empty {',
      '    %x_rule_judged_resources.Properties {',
      '        # a note',
      "        Mode == 'Safe' or",
      '        Mode is_struct',
      '        <<',
      '            [x-rule] m',
      '        >>',
      '    }',
      '}',
    ].join('\n'));
  });
});
