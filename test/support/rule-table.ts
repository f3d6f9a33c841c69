// One fixture table per catalog rule, run by both engines: each case is built
// into a new app once, the rule's own check judges its function, then the app is
// synthesized under LambdaRulesAspect (WARN) and the Guard rules file judges
// every case's template in one cfn-guard process.
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { guardFailuresOf } from './guard-harness';
import { EnforcementMode, LambdaRulesAspect } from '../../src';
import { StackIndex } from '../../src/cfn/stack-index';
import { FunctionView } from '../../src/rules/function-view';
import { CatalogRule, isResourceRule } from '../../src/rules/resource-rule';
import { RuleResult } from '../../src/rules/rule';

/** A violation the rule's check must report: on which resource, and what it says. */
export interface ExpectedViolation {
  /** The resource reported: its construct (or the construct whose default child it is), or its logical id. */
  readonly on: IConstruct | string;
  /** The problem: exactly this text, or text matching this pattern. */
  readonly problem: string | RegExp;
}

/** What the rule's check says of the case's function. */
export type ExpectedCheck = 'COMPLIANT' | 'NOT_APPLICABLE' | 'UNRESOLVED' | ExpectedViolation[];

/** What a case builds: the resource the check is asked about, and what the check must say. */
export interface BuiltCase {
  /**
   * The function (an AWS::Lambda::Function resource, or the construct whose default
   * child it is); for a rule about another Lambda type, the resource of that type.
   */
  readonly fn: IConstruct;
  readonly check: ExpectedCheck;
}

/** One row of a rule's table. */
export interface RuleCase {
  /** What the case is (the tests are named after it). */
  readonly name: string;
  /**
   * Whether LambdaRulesAspect and the Guard rules file both report the rule on
   * the stack (false: neither does).
   *
   * @default - whether the check reports a violation
   */
  readonly reported?: boolean;
  /**
   * The logical ids the failing Guard clauses point at, when it reports.
   *
   * @default - not compared
   */
  readonly guardPointsAt?: (stack: Stack) => string[];
  /** Builds the case into the stack `Stack` of a new app. */
  build(stack: Stack): BuiltCase;
}

interface Judged {
  readonly error?: unknown;
  readonly stack?: Stack;
  readonly check?: RuleResult;
  readonly expected?: ExpectedCheck;
  readonly aspect?: boolean;
  readonly template?: unknown;
  readonly guard?: { reported: boolean; logicalIds: string[]; messages: string[] };
}

/** The resource of `type` (or one of `types`) a case returned. */
function resourceOf(fn: IConstruct, types: readonly string[]): CfnResource {
  const resource = CfnResource.isCfnResource(fn) ? fn : fn.node.defaultChild;
  if (!CfnResource.isCfnResource(resource) || !types.includes(resource.cfnResourceType)) {
    throw new Error(`${fn.node.path} is no ${types.join(' or ')}`);
  }
  return resource;
}

/** What the rule's own check says of the case's resource. */
function checkOf(rule: CatalogRule, built: IConstruct): RuleResult {
  if (isResourceRule(rule)) {
    const resource = resourceOf(built, rule.resourceTypes);
    const index = StackIndex.build(Stack.of(resource));
    return rule.judge(index.get(index.idOf(resource))!, index);
  }
  return rule.check(FunctionView.of(resourceOf(built, ['AWS::Lambda::Function'])));
}

/** Whether a reported resource is the expected one. */
function isOn(resource: CfnResource, on: IConstruct | string): boolean {
  if (typeof on === 'string') {
    return Stack.of(resource).resolve(resource.logicalId) === on;
  }
  return resource === on || resource === on.node.defaultChild;
}

/** An expected resource as text: a construct is shown by its path, so a failing expectation prints a diff. */
function labelOf(on: IConstruct | string): string {
  return typeof on === 'string' ? on : on.node.path;
}

/** The check's result, described so that a failing expectation reads well. */
function describeCheck(result: RuleResult | undefined, expected: ExpectedCheck | undefined): unknown {
  if (!Array.isArray(result) || !Array.isArray(expected)) {
    return result;
  }
  return result.map((violation, i) => {
    const want = expected[i];
    return {
      on: want && isOn(violation.resource, want.on) ? labelOf(want.on) : `${violation.resource.node.path} (${Stack.of(violation.resource).resolve(violation.resource.logicalId)})`,
      problem: want && (typeof want.problem === 'string' ? want.problem === violation.problem : want.problem.test(violation.problem)) ? want.problem : violation.problem,
    };
  });
}

/**
 * The table of `rule`: for each case, a test of the rule's check and a test that
 * LambdaRulesAspect and the Guard rules file agree on the synthesized stack.
 * The table must hold a compliant, a non-compliant and an unresolved case.
 */
export function ruleTable(rule: CatalogRule, cases: readonly RuleCase[]): void {
  describe(`${rule.id}: its check, LambdaRulesAspect and the Guard rules file on one table`, () => {
    const judged = new Map<string, Judged>();

    beforeAll(() => {
      const synthesized: Array<{ name: string; template: unknown }> = [];
      for (const c of cases) {
        try {
          const app = new App();
          const stack = new Stack(app, 'Stack');
          const built = c.build(stack);
          const check = checkOf(rule, built.fn);
          const aspect = LambdaRulesAspect.applyTo(app, { mode: EnforcementMode.WARN });
          const template = app.synth().getStackArtifact(stack.artifactId).template;
          judged.set(c.name, { stack, check, expected: built.check, template, aspect: aspect.findings.some((f) => f.ruleId === rule.id) });
          synthesized.push({ name: c.name, template });
        } catch (error) {
          judged.set(c.name, { error });
        }
      }
      const failures = guardFailuresOf(synthesized.map((s) => s.template));
      synthesized.forEach((s, i) => {
        const failure = failures[i].find((f) => f.ruleId === rule.id);
        judged.set(s.name, {
          ...judged.get(s.name)!,
          guard: { reported: failure !== undefined, logicalIds: failure?.logicalIds ?? [], messages: failure?.messages ?? [] },
        });
      });
    });

    const judgedCase = (name: string): Required<Judged> => {
      const j = judged.get(name)!;
      if (j.error) throw j.error;
      return j as Required<Judged>;
    };

    test.each(cases.map((c) => [c.name, c] as const))('%s: the rule\'s check', (name) => {
      const { check, expected } = judgedCase(name);
      if (Array.isArray(expected)) {
        expect(Array.isArray(check)).toBe(true);
        expect(describeCheck(check, expected)).toEqual(expected.map((v) => ({ on: labelOf(v.on), problem: v.problem })));
        expect((check as unknown[]).length).toBe(expected.length);
      } else {
        expect(check).toBe(expected);
      }
    });

    test.each(cases.map((c) => [c.name, c] as const))('%s: LambdaRulesAspect and the Guard rules file agree', (name, c) => {
      const { stack, expected, aspect, guard } = judgedCase(name);
      const reported = c.reported ?? Array.isArray(expected);
      expect({ aspect, guard: guard.reported }).toEqual({ aspect: reported, guard: reported });
      if (reported) {
        // Every failing clause carries the rule's id, title and fix.
        expect(guard.messages[0]).toMatch(new RegExp(`^\\[${rule.id}\\] ${escape(rule.title)}\\. Fix: `));
        if (c.guardPointsAt) {
          expect(guard.logicalIds).toEqual([...c.guardPointsAt(stack)].sort());
        }
      }
    });

    test('holds a compliant, a non-compliant and an unresolved case', () => {
      const outcomes = new Set(cases.map((c) => judgedCase(c.name).expected).map((e) => (Array.isArray(e) ? 'VIOLATION' : e)));
      expect([...outcomes].filter((o) => ['COMPLIANT', 'VIOLATION', 'UNRESOLVED'].includes(o)).sort()).toEqual(['COMPLIANT', 'UNRESOLVED', 'VIOLATION']);
    });
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
