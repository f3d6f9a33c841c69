import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A check of checkov or cfn-lint that cannot be met by one resource, and why. */
export interface ScannerSkip {
  /** The check (CKV_AWS_117, W3010...). */
  readonly id: string;
  /** Why it cannot be met, as the README lists it. */
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
    throw new Error(`${construct.node.path}: skipping ${unexplained.map((s) => s.id).join(', ')} needs a reason, as the README's "Skipped scanner checks" gives one for each`);
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

/**
 * Drops from a resource's DependsOn what its properties already wait for
 * through Ref or Fn::GetAtt (cfn-lint W3005): lambda.Function waits for its
 * role by construct, which also lists the role its Role property names.
 * Rendered as the template is written, once every dependency is known.
 */
export function dropRedundantDependsOn(resource: CfnResource): void {
  const stack = Stack.of(resource);
  resource.addOverride('DependsOn', {
    resolve: () => {
      const referenced = new Set<string>();
      collectReferences(stack.resolve(renderedProperties(resource)), referenced);
      const ids = resource.obtainDependencies()
        .filter(CfnResource.isCfnResource)
        .filter((d) => (d as unknown as { shouldSynthesize(): boolean }).shouldSynthesize())
        .map((d) => stack.resolve(d.logicalId) as string);
      const kept = [...new Set(ids)].filter((id) => !referenced.has(id)).sort();
      return kept.length ? kept : undefined;
    },
    creationStack: [],
  });
}

function renderedProperties(resource: CfnResource): unknown {
  const inside = resource as unknown as { readonly cfnProperties: unknown; renderProperties(p: unknown): unknown };
  return inside.renderProperties(inside.cfnProperties);
}

function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectReferences(v, into));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'Ref' && typeof inner === 'string') {
        into.add(inner);
      } else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') {
        into.add(inner[0]);
      }
      collectReferences(inner, into);
    }
  }
}
