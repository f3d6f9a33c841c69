import { CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { cdkProviderOf } from '../cfn/cdk-providers';
import { closestMark, ENFORCED_MARK, HARDENED_MARK, SECURE_FUNCTION_MARK } from '../cfn/construct-marks';
import { fixesUnder } from '../cfn/fix-notes';
import { StackIndex, SynthesizedTemplate } from '../cfn/stack-index';
import { acknowledgmentIds, findAcknowledgment } from '../rules/acknowledgments';
import { CATALOG, FUNCTION_RULES, resourceRulesFor, TYPES_WITHOUT_RULES } from '../rules/catalog';
import { RuleEnforcement } from '../rules/enforcement';
import { FunctionView } from '../rules/function-view';
import { enforcementOf } from '../rules/prevention';
import { RuleInfo, RuleResult } from '../rules/rule';
import { SecureFunctionRules } from '../rules/secure-function-rules';

/** How one rule judged one function. */
export type ControlVerdict = 'PASS' | 'FAIL' | 'ACKNOWLEDGED' | 'NOT_APPLICABLE' | 'UNRESOLVED';

/** One control on one function. */
export interface AuditedControl {
  readonly ruleId: string;
  readonly verdict: ControlVerdict;
  /** What is wrong (FAIL) or what was let through (ACKNOWLEDGED). */
  readonly problems: string[];
  /** Where and why the exception was made (ACKNOWLEDGED). */
  readonly acknowledgments: Array<{ readonly at: string; readonly reason: string }>;
}

/** One Lambda function of the app. */
export interface AuditedFunction {
  readonly path: string;
  /** The Stage the function is deployed by ('' for the app's own stacks): pipeline stages included. */
  readonly stage: string;
  readonly stack: string;
  readonly logicalId: string;
  /**
   * 'SecureFunction', 'LambdaHardening' (a function it hardened), 'other'
   * (lambda.Function, CfnFunction, bundling constructs...) or 'cdk-provider'.
   */
  readonly kind: 'SecureFunction' | 'LambdaHardening' | 'other' | 'cdk-provider';
  /** For CDK provider functions: what CDK uses them for (they are not judged). */
  readonly provider?: string;
  /**
   * Whether LambdaRulesAspect judged the function at synthesis, so that a
   * failed control blocked it. False: nothing enforced the verdicts below,
   * which are the report's own (the function is not guarded).
   */
  readonly enforced: boolean;
  readonly controls: AuditedControl[];
}

/** One Lambda resource of another type than a function (a resource policy, a web endpoint, a MicroVM image...), and the rules that judge it. */
export interface AuditedResource {
  readonly path: string;
  /** The Stage that deploys it ('' for the app's own stacks). */
  readonly stage: string;
  readonly stack: string;
  readonly logicalId: string;
  /** Its CloudFormation type. */
  readonly type: string;
  /** The catalog rules of its type, judged. */
  readonly controls: AuditedControl[];
  /** Why no rule judges it, for a type the catalog has no rule for. */
  readonly unjudged?: string;
}

/** An acknowledgment of a rule of another suite (cdk-nag, Control Tower, CloudFormation validation). */
export interface SuiteAcknowledgment {
  /** The rule as acknowledged (`<suite>::<rule>`, or the rule alone). */
  readonly rule: string;
  /** The construct it was made on. */
  readonly at: string;
  readonly reason: string;
}

/** A change the library made to a construct of the app so that it passes a control while doing the same. */
export interface AuditedFix {
  /** The construct changed. */
  readonly at: string;
  /** The control the change satisfies (a catalog rule id, or the integration control). */
  readonly control: string;
  /** What was changed. */
  readonly change: string;
}

/** The whole report. */
export interface AuditReportData {
  readonly generatedBy: string;
  readonly functions: AuditedFunction[];
  /** The app's Lambda resources of other types the catalog judges. */
  readonly resources: AuditedResource[];
  /** Every acknowledgment of another suite's rule in the app: the library's own and the app's. */
  readonly suiteAcknowledgments: SuiteAcknowledgment[];
  /** Every change the library made to the app's own constructs (fixes instead of refusals, remediations). */
  readonly fixes: AuditedFix[];
  readonly rules: RuleInfo[];
  /** On which paths each rule is enforced beyond synthesis: guardrails (SCP), Guard Hook, AWS Config. */
  readonly enforcement: RuleEnforcement[];
  readonly summary: {
    readonly functions: number;
    /** Lambda resources of other types judged. */
    readonly resources: number;
    readonly judged: number;
    /** Functions judged here that no LambdaRulesAspect judged at synthesis (CDK providers aside). */
    readonly unenforced: number;
    readonly failures: number;
    readonly acknowledgments: number;
    readonly suiteAcknowledgments: number;
    readonly fixes: number;
  };
}

/** A stack's template as synthesized, when it has been written already. */
export type WrittenTemplate = (stack: Stack) => SynthesizedTemplate | undefined;

/**
 * Judges every Lambda function under `root` (every stack, nested stack and Stage) against the catalog.
 *
 * @param written the templates already synthesized: their resources are read, not resolved again
 */
export function buildAuditReport(root: IConstruct, written: WrittenTemplate = () => undefined): AuditReportData {
  const indexes = new Map<Stack, StackIndex>();
  const functions: AuditedFunction[] = [];
  const resources: AuditedResource[] = [];
  for (const node of root.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) {
      continue;
    }
    const rules = resourceRulesFor(node.cfnResourceType);
    const unjudged = TYPES_WITHOUT_RULES[node.cfnResourceType];
    if (node.cfnResourceType !== 'AWS::Lambda::Function' && rules.length === 0 && unjudged === undefined) {
      continue;
    }
    const stack = Stack.of(node);
    let index = indexes.get(stack);
    if (!index) {
      const template = written(stack);
      index = (template && StackIndex.fromTemplate(stack, template)) ?? StackIndex.build(stack);
      indexes.set(stack, index);
    }
    if (node.cfnResourceType !== 'AWS::Lambda::Function') {
      const resource = index.get(index.idOf(node))!;
      resources.push({
        path: node.node.path,
        stage: Stage.of(node)?.node.path ?? '',
        stack: stack.artifactId,
        logicalId: resource.logicalId,
        type: resource.type,
        controls: rules.map((rule) => judge(rule.id, rule.judge(resource, index!), node)),
        unjudged,
      });
      continue;
    }
    const enforced = (node as unknown as Record<symbol, unknown>)[ENFORCED_MARK] === true;
    const base = { path: node.node.path, stage: Stage.of(node)?.node.path ?? '', stack: stack.artifactId, logicalId: index.idOf(node), enforced };
    const provider = cdkProviderOf(node);
    if (provider) {
      functions.push({ ...base, kind: 'cdk-provider', provider, controls: [] });
      continue;
    }
    const view = FunctionView.of(node, index);
    const controls = FUNCTION_RULES.map((rule) => judge(rule.id, rule.check(view), node));
    functions.push({ ...base, kind: functionKind(node), controls });
  }
  const controls = [...functions, ...resources].flatMap((f) => f.controls);
  const suiteAcknowledgments = suiteAcknowledgmentsUnder(root);
  const fixes = fixesUnder(root).map(({ at, control, change }) => ({ at, control, change }));
  return {
    generatedBy: 'cdk-secure-function',
    functions,
    resources,
    suiteAcknowledgments,
    fixes,
    rules: SecureFunctionRules.all(),
    enforcement: CATALOG.map(enforcementOf),
    summary: {
      functions: functions.length,
      resources: resources.length,
      judged: functions.filter((f) => f.kind !== 'cdk-provider').length,
      unenforced: functions.filter((f) => f.kind !== 'cdk-provider' && !f.enforced).length,
      failures: controls.filter((c) => c.verdict === 'FAIL').length,
      acknowledgments: controls.filter((c) => c.verdict === 'ACKNOWLEDGED').length,
      suiteAcknowledgments: suiteAcknowledgments.length,
      fixes: fixes.length,
    },
  };
}

/** Catalog rules are judged per function above; everything else acknowledged is listed as made. */
function suiteAcknowledgmentsUnder(root: IConstruct): SuiteAcknowledgment[] {
  const catalog = new Set(CATALOG.flatMap((rule) => acknowledgmentIds(rule.id)));
  const found: SuiteAcknowledgment[] = [];
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) {
        continue;
      }
      for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) {
        if (!catalog.has(rule)) {
          found.push({ rule, at: node.node.path, reason });
        }
      }
    }
  }
  return found;
}

function judge(ruleId: string, result: RuleResult, fn: CfnResource): AuditedControl {
  if (!Array.isArray(result)) {
    return { ruleId, verdict: result === 'COMPLIANT' ? 'PASS' : result, problems: [], acknowledgments: [] };
  }
  const open = [];
  const acknowledged = [];
  for (const violation of result) {
    const ack = findAcknowledgment(ruleId, violation.resource, fn);
    if (ack) {
      acknowledged.push({ problem: violation.problem, at: ack.constructPath, reason: ack.reason });
    } else {
      open.push(violation.problem);
    }
  }
  return open.length > 0
    ? { ruleId, verdict: 'FAIL', problems: open, acknowledgments: [] }
    : { ruleId, verdict: 'ACKNOWLEDGED', problems: acknowledged.map((a) => a.problem), acknowledgments: acknowledged.map(({ at, reason }) => ({ at, reason })) };
}

function functionKind(fn: IConstruct): 'SecureFunction' | 'LambdaHardening' | 'other' {
  const mark = closestMark(fn, [SECURE_FUNCTION_MARK, HARDENED_MARK]);
  return mark === SECURE_FUNCTION_MARK ? 'SecureFunction' : mark === HARDENED_MARK ? 'LambdaHardening' : 'other';
}
