import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A check of checkov or cfn-lint that cannot be met by one resource, and why. */
export interface ScannerSkip {
  /** The check (CKV_AWS_117, W3010...). */
  readonly id: string;
  /** Why it cannot be met, as docs/exceptions.md lists it. */
  readonly reason: string;
}

/** Where the reasons of cfn-lint skips are kept (cfn-lint's own config has no field for them). */
export const CFN_LINT_REASONS = 'cdk-secure-function:cfn-lint-skips';

/**
 * Skips checks of checkov and cfn-lint on one resource through each scanner's
 * own mechanism: checkov reads `Metadata.checkov.skip` (with the reason as its
 * comment), cfn-lint `Metadata.cfn-lint.config.ignore_checks` (the reasons go
 * beside it). Skips already there are kept.
 *
 * @param construct the resource, or the construct whose default child it is
 */
export function skipScannerChecks(construct: IConstruct, skips: { checkov?: ScannerSkip[]; cfnLint?: ScannerSkip[] }): void {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) {
    throw new Error(`${construct.node.path}: scanner checks are skipped on a CloudFormation resource`);
  }
  const unexplained = [...(skips.checkov ?? []), ...(skips.cfnLint ?? [])].filter((s) => !s.reason.trim());
  if (unexplained.length > 0) {
    throw new Error(`${construct.node.path}: skipping ${unexplained.map((s) => s.id).join(', ')} needs a reason, as docs/exceptions.md lists one for each`);
  }
  if (skips.checkov?.length) {
    const checkov = (resource.getMetadata('checkov') ?? {}) as { skip?: Array<{ id: string; comment: string }> };
    const skip = [...(checkov.skip ?? [])];
    for (const { id, reason } of skips.checkov) {
      if (!skip.some((s) => s.id === id)) {
        skip.push({ id, comment: reason });
      }
    }
    resource.addMetadata('checkov', { ...checkov, skip });
  }
  if (skips.cfnLint?.length) {
    const lint = (resource.getMetadata('cfn-lint') ?? {}) as { config?: { ignore_checks?: string[] } };
    const ignore = [...new Set([...(lint.config?.ignore_checks ?? []), ...skips.cfnLint.map((s) => s.id)])];
    resource.addMetadata('cfn-lint', { ...lint, config: { ...lint.config, ignore_checks: ignore } });
    const reasons = (resource.getMetadata(CFN_LINT_REASONS) ?? {}) as Record<string, string>;
    resource.addMetadata(CFN_LINT_REASONS, { ...reasons, ...Object.fromEntries(skips.cfnLint.map((s) => [s.id, s.reason])) });
  }
}
