import { CfnParameter, Fn } from 'aws-cdk-lib';
import { FunctionView } from '../../src/rules/function-view';
import { PropertyClause, propertyRule } from '../../src/rules/property-rule';
import { RuleSeverity } from '../../src/rules/rule';
import { newStack } from '../support/fixtures';
import { cfnFunction } from '../support/rule-fixtures';

const INFO = { id: 'x-rule', title: 't', severity: RuleSeverity.BLOCK, why: 'w', fix: 'f', controls: {} };

/** The verdict of a rule that passes on `clause` alone, for a function with `properties`. */
function verdict(clause: PropertyClause, properties: (stack: ReturnType<typeof newStack>) => Record<string, unknown>, scope: 'functions' | 'zip-functions' = 'functions') {
  const rule = propertyRule(INFO, { scope, notes: [], passWhen: [clause], problem: (p) => `problem with ${JSON.stringify(p.Description ?? null)}` });
  const stack = newStack();
  const fn = cfnFunction(stack, properties(stack) as any);
  const result = rule.check(FunctionView.of(fn));
  return Array.isArray(result) ? result.map((v) => v.problem) : result;
}

describe('property rules: the check their declaration gives', () => {
  test.each([
    ['absent', { kind: 'absent', path: 'Description' }, () => ({}), 'COMPLIANT'],
    ['absent, but set', { kind: 'absent', path: 'Description' }, () => ({ description: 'd' }), ['problem with "d"']],
    ['empty', { kind: 'empty', path: 'Environment.Variables' }, () => ({ environment: { variables: {} } }), 'COMPLIANT'],
    ['intrinsic', { kind: 'intrinsic', path: 'Description' }, (s: any) => ({ description: new CfnParameter(s, 'P').valueAsString }), 'UNRESOLVED'],
    ['intrinsic, but literal', { kind: 'intrinsic', path: 'Description' }, () => ({ description: 'd' }), ['problem with "d"']],
    ['intrinsic-object', { kind: 'intrinsic-object', path: 'Environment' }, (s: any) => ({ environment: Fn.conditionIf(new CfnParameter(s, 'C').logicalId, { Variables: {} }, { Variables: {} }) }), 'UNRESOLVED'],
    ['equals', { kind: 'equals', path: 'TracingConfig.Mode', value: 'Active' }, () => ({ tracingConfig: { mode: 'Active' } }), 'COMPLIANT'],
    ['equals, another value', { kind: 'equals', path: 'TracingConfig.Mode', value: 'Active' }, () => ({ tracingConfig: { mode: 'PassThrough' } }), ['problem with null']],
    ['present, literal', { kind: 'present', path: 'ReservedConcurrentExecutions' }, () => ({ reservedConcurrentExecutions: 0 }), 'COMPLIANT'],
    ['present, from a parameter', { kind: 'present', path: 'ReservedConcurrentExecutions' }, (s: any) => ({ reservedConcurrentExecutions: new CfnParameter(s, 'N', { type: 'Number' }).valueAsNumber }), 'UNRESOLVED'],
    ['non-empty', { kind: 'non-empty', path: 'KmsKeyArn' }, () => ({ kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' }), 'COMPLIANT'],
    ['non-empty, an empty string', { kind: 'non-empty', path: 'KmsKeyArn' }, () => ({ kmsKeyArn: '' }), ['problem with null']],
    ['non-empty, chosen by a condition', { kind: 'non-empty', path: 'KmsKeyArn' }, () => ({ kmsKeyArn: Fn.conditionIf('C', 'arn:k', Fn.ref('AWS::NoValue')).toString() }), 'UNRESOLVED'],
  ] as const)('%s', (_name, clause, properties, expected) => {
    expect(verdict(clause as PropertyClause, properties as any)).toEqual(expected);
  });

  test('a .zip-only check says nothing of a container image', () => {
    expect(verdict({ kind: 'present', path: 'Description' }, () => ({ packageType: 'Image', code: { imageUri: 'i' } }), 'zip-functions')).toBe('NOT_APPLICABLE');
  });

  test('the first clause that holds gives the verdict', () => {
    const rule = propertyRule(INFO, {
      scope: 'functions',
      notes: [],
      problem: () => 'p',
      passWhen: [{ kind: 'absent', path: 'Description' }, { kind: 'intrinsic', path: 'Description' }],
    });
    const stack = newStack();
    expect(rule.check(FunctionView.of(cfnFunction(stack, { description: new CfnParameter(stack, 'D').valueAsString })))).toBe('UNRESOLVED');
    expect(rule.check(FunctionView.of(cfnFunction(stack)))).toBe('COMPLIANT');
  });
});
