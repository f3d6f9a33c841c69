/**
 * What a rule does by default when a function breaks it.
 */
export enum RuleSeverity {
  /** Synthesis fails: the listed, non-negotiable controls. */
  BLOCK = 'block',
  /** A warning: controls that SecureFunction adds beyond the listed ones. */
  WARN = 'warn',
}

/**
 * The compliance controls a rule maps to.
 */
export interface ComplianceControls {
  /** NIST SP 800-53 Rev. 5 controls. @default - none */
  readonly nist80053?: string[];
  /** PCI DSS 3.2.1 requirements. @default - none */
  readonly pciDss?: string[];
  /** HIPAA Security Rule sections. @default - none */
  readonly hipaa?: string[];
  /** AWS Control Tower proactive (PR) and preventive (PV) controls. @default - none */
  readonly controlTower?: string[];
  /** AWS Security Hub controls. @default - none */
  readonly securityHub?: string[];
}

/**
 * What a rule of the catalog is: everything but its check.
 */
export interface RuleInfo {
  /** Stable id, used in errors and acknowledgments (`lambda-inside-vpc`). */
  readonly id: string;
  /** One line saying what the rule requires. */
  readonly title: string;
  /** What happens by default when it is broken. */
  readonly severity: RuleSeverity;
  /** Why it matters. */
  readonly why: string;
  /** How to comply. */
  readonly fix: string;
  /** The controls it maps to. */
  readonly controls: ComplianceControls;
}
