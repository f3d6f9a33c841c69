import { Annotations, AspectPriority, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GuardSuppressions } from './guard-suppressions';
import { remediate } from './remediations';
import { addToScopeAndStages } from './stack-aspects';
import { cdkProviderOf } from '../cfn/cdk-providers';
import { ENFORCED_MARK, setMark } from '../cfn/construct-marks';
import { recordFix } from '../cfn/fix-notes';
import { StackIndex } from '../cfn/stack-index';
import { findAcknowledgment } from '../rules/acknowledgments';
import { FUNCTION_RULES, resourceRulesFor } from '../rules/catalog';
import { FunctionView } from '../rules/function-view';
import { CatalogRule } from '../rules/resource-rule';
import { RuleSeverity, RuleViolation } from '../rules/rule';

/**
 * What LambdaRulesAspect does with a violation.
 */
export enum EnforcementMode {
  /** Block-severity rules fail synthesis; warn-severity rules warn. */
  BLOCK = 'block',
  /** Every violation is a warning. */
  WARN = 'warn',
  /** Fix what is safe to fix (reported), then block like BLOCK. */
  REMEDIATE = 'remediate',
}

/**
 * Properties of a LambdaRulesAspect.
 */
export interface LambdaRulesAspectProps {
  /**
   * What to do with violations.
   *
   * @default EnforcementMode.BLOCK
   */
  readonly mode?: EnforcementMode;
}

/** One rule LambdaRulesAspect let through because it was acknowledged. */
export interface RuleAcknowledgment {
  /** The rule. */
  readonly ruleId: string;
  /** The resource that breaks it. */
  readonly resourcePath: string;
  /** Where the acknowledgment was made. */
  readonly acknowledgedAt: string;
  /** Why. */
  readonly reason: string;
}

/** One violation LambdaRulesAspect reported. */
export interface RuleFinding {
  /** The rule. */
  readonly ruleId: string;
  /** The offending resource. */
  readonly resourcePath: string;
  /** The message reported. */
  readonly message: string;
  /** Whether it was reported as an error (else a warning). */
  readonly blocking: boolean;
}

/**
 * Holds every Lambda function of an app to the rule catalog, however it was
 * written: it judges the template's `AWS::Lambda::Function` resources and what
 * surrounds them (role and policies, permissions, URLs, layers, log group,
 * security groups, subnets, code-signing config), so L1s, SingletonFunctions,
 * bundling constructs and functions in nested stacks and other stages are seen
 * like SecureFunctions.
 *
 * ```ts
 * import { App } from 'aws-cdk-lib';
 * import { LambdaRulesAspect } from 'cdk-secure-function';
 *
 * const app = new App();
 * // ... build the stacks, then:
 * LambdaRulesAspect.applyTo(app);
 * ```
 *
 * Each violation is `Validations.of(resource).addError(ruleId, message)` on the
 * offending resource (a warning for warn-severity rules, or in WARN mode).
 * `Validations.of(construct).acknowledge({ id: ruleId, reason })` on the
 * resource, the function or an ancestor lets a rule through; the reason is
 * reported as an info message and kept in `acknowledgments`. CDK's own provider
 * functions are named and not judged.
 */
export class LambdaRulesAspect implements IAspect {
  /**
   * Adds the aspect to `scope` (usually the app) and to every Stage in it: CDK
   * synthesizes each Stage on its own, and `Aspects.of(app).add()` alone does not
   * reach the functions inside Stages. Call it once the app is built.
   *
   * @param scope the app, a stage or a stack
   * @param props its mode
   */
  public static applyTo(scope: IConstruct, props: LambdaRulesAspectProps = {}): LambdaRulesAspect {
    const aspect = new LambdaRulesAspect(props);
    // READONLY: it judges the template as it will be written, after every aspect that
    // changes it (Tags.of, org defaults, CDK's own) has run on a resource.
    addToScopeAndStages(scope, aspect, AspectPriority.READONLY);
    GuardSuppressions.applyTo(scope);
    return aspect;
  }

  private readonly mode: EnforcementMode;
  private readonly reported = new Set<string>();
  private readonly indexes = new Map<Stack, StackIndex>();
  private readonly _findings: RuleFinding[] = [];
  private readonly _acknowledgments: RuleAcknowledgment[] = [];

  constructor(props: LambdaRulesAspectProps = {}) {
    this.mode = props.mode ?? EnforcementMode.BLOCK;
  }

  /** The violations reported so far. */
  public get findings(): RuleFinding[] {
    return [...this._findings];
  }

  /** The acknowledged violations let through so far, with their reasons. */
  public get acknowledgments(): RuleAcknowledgment[] {
    return [...this._acknowledgments];
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) {
      return;
    }
    if (node.cfnResourceType !== 'AWS::Lambda::Function') {
      this.judgeResource(node);
      return;
    }
    const provider = cdkProviderOf(node);
    if (provider) {
      Annotations.of(node).addInfo(`LambdaRulesAspect: CDK provider function (${provider}); its code and settings belong to CDK, so it is not judged.`);
      return;
    }
    setMark(node, ENFORCED_MARK);
    let view = FunctionView.of(node, this.indexOf(Stack.of(node)));
    if (this.mode === EnforcementMode.REMEDIATE) {
      const fixes = remediate(view);
      for (const fix of fixes) {
        Annotations.of(fix.resource).addInfo(`LambdaRulesAspect remediated ${fix.ruleId}: ${fix.change}.`);
        recordFix(fix.resource, { control: fix.ruleId, change: fix.change }, false);
      }
      if (fixes.length > 0) {
        this.indexes.delete(Stack.of(node));
        view = FunctionView.of(node, this.indexOf(Stack.of(node)));
      }
    }
    for (const rule of FUNCTION_RULES) {
      const result = rule.check(view);
      if (Array.isArray(result)) {
        for (const violation of result) {
          this.report(rule, violation, node);
        }
      }
    }
  }

  /** The resource rules of the catalog on a resource of another Lambda type (a resource policy, a web endpoint...). */
  private judgeResource(node: CfnResource): void {
    const rules = resourceRulesFor(node.cfnResourceType);
    if (rules.length === 0) {
      return;
    }
    const index = this.indexOf(Stack.of(node));
    const resource = index.get(index.idOf(node))!;
    for (const rule of rules) {
      const result = rule.judge(resource, index);
      if (Array.isArray(result)) {
        for (const violation of result) {
          this.report(rule, violation, node);
        }
      }
    }
  }

  /** One index per stack for the whole pass: the tree does not change while checking Aspects run. */
  private indexOf(stack: Stack): StackIndex {
    let index = this.indexes.get(stack);
    if (!index) {
      index = StackIndex.build(stack);
      this.indexes.set(stack, index);
    }
    return index;
  }

  private report(rule: CatalogRule, violation: RuleViolation, fn: CfnResource): void {
    // A resource shared by several functions (a config, a log group) is reported once;
    // acknowledged for one function, it is still reported for a function without one.
    const ack = findAcknowledgment(rule.id, violation.resource, fn);
    const key = `${rule.id}|${violation.resource.node.path}|${violation.problem}|${ack ? `ack:${ack.constructPath}` : 'open'}`;
    if (this.reported.has(key)) {
      return;
    }
    this.reported.add(key);
    if (ack) {
      this._acknowledgments.push({
        ruleId: rule.id,
        resourcePath: violation.resource.node.path,
        acknowledgedAt: ack.constructPath,
        reason: ack.reason,
      });
      Annotations.of(violation.resource).addInfo(`[${rule.id}] acknowledged at ${ack.constructPath}: ${ack.reason}`);
      return;
    }
    const message = `[${rule.id}] ${rule.title}: ${violation.problem}. Fix: ${rule.fix}`;
    const blocking = rule.severity === RuleSeverity.BLOCK && this.mode !== EnforcementMode.WARN;
    this._findings.push({ ruleId: rule.id, resourcePath: violation.resource.node.path, message, blocking });
    if (blocking) {
      Validations.of(violation.resource).addError(rule.id, message);
    } else {
      Validations.of(violation.resource).addWarning(rule.id, message);
    }
  }
}
