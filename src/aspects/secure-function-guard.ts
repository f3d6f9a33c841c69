// The names LambdaRulesAspect had before "Guard" came to mean CloudFormation
// Guard alone (the rules file, GuardSuppressions, SecureFunctionGuardHook). They
// stay, deprecated, so that no app breaks; each does what its new name does.
import { IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GuardSuppressions } from './guard-suppressions';
import { EnforcementMode, LambdaRulesAspect } from './lambda-rules-aspect';
import { addToScopeAndStages } from './stack-aspects';

/**
 * What the guard does with a violation.
 *
 * @deprecated use EnforcementMode
 */
export enum GuardMode {
  /** Block-severity rules fail synthesis; warn-severity rules warn. */
  BLOCK = 'block',
  /** Every violation is a warning. */
  WARN = 'warn',
  /** Fix what is safe to fix (reported), then block like BLOCK. */
  REMEDIATE = 'remediate',
}

/**
 * Properties of a SecureFunctionGuard.
 *
 * @deprecated use LambdaRulesAspectProps
 */
export interface SecureFunctionGuardProps {
  /**
   * What to do with violations.
   *
   * @default GuardMode.BLOCK
   */
  readonly mode?: GuardMode;
}

/**
 * One rule the guard let through because it was acknowledged.
 *
 * @deprecated use RuleAcknowledgment
 */
export interface GuardAcknowledgment {
  /** The rule. */
  readonly ruleId: string;
  /** The resource that breaks it. */
  readonly resourcePath: string;
  /** Where the acknowledgment was made. */
  readonly acknowledgedAt: string;
  /** Why. */
  readonly reason: string;
}

/**
 * One violation the guard reported.
 *
 * @deprecated use RuleFinding
 */
export interface GuardFinding {
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
 * LambdaRulesAspect under its former name.
 *
 * @deprecated use LambdaRulesAspect
 */
export class SecureFunctionGuard implements IAspect {
  /**
   * `LambdaRulesAspect.applyTo(scope, props)`, as a SecureFunctionGuard.
   *
   * @param scope the app, a stage or a stack
   * @param props the guard's mode
   * @deprecated use LambdaRulesAspect.applyTo
   */
  public static applyTo(scope: IConstruct, props: SecureFunctionGuardProps = {}): SecureFunctionGuard {
    const guard = new SecureFunctionGuard(props);
    addToScopeAndStages(scope, guard);
    GuardSuppressions.applyTo(scope);
    return guard;
  }

  private readonly aspect: LambdaRulesAspect;

  /**
   * @param props the guard's mode
   * @deprecated use new LambdaRulesAspect(props)
   */
  constructor(props: SecureFunctionGuardProps = {}) {
    this.aspect = new LambdaRulesAspect({ mode: modeOf(props) });
  }

  /**
   * The violations reported so far.
   *
   * @deprecated use LambdaRulesAspect.findings
   */
  public get findings(): GuardFinding[] {
    return this.aspect.findings;
  }

  /**
   * The acknowledged violations let through so far, with their reasons.
   *
   * @deprecated use LambdaRulesAspect.acknowledgments
   */
  public get acknowledgments(): GuardAcknowledgment[] {
    return this.aspect.acknowledgments;
  }

  /**
   * Judges one construct, as LambdaRulesAspect does.
   *
   * @deprecated use LambdaRulesAspect
   */
  public visit(node: IConstruct): void {
    this.aspect.visit(node);
  }
}

/** The same mode under its new name (the values are the same strings). */
function modeOf(props: SecureFunctionGuardProps): EnforcementMode | undefined {
  return props.mode === undefined ? undefined : props.mode as string as EnforcementMode;
}
