/** One app of the `cdk synth`-like measure (synth-app.ts builds and synthesizes it). */
export interface SynthSpec {
  /** Plain lambda.Functions, SecureFunctions, or SecureFunctions under LambdaRulesAspect. */
  readonly kind: 'plain' | 'secure' | 'guarded';
  /** Functions per stack. */
  readonly functions: number;
  /** Stacks of `functions` functions each. */
  readonly stacks: number;
  /** Each function deploys a code package of its own, instead of one shared bundle. */
  readonly distinctCode: boolean;
  /** Where the app writes its cloud assembly. */
  readonly outdir: string;
}
