import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The metadata type a fix is recorded under, on the construct it changed. */
export const FIX_METADATA_TYPE = 'cdk-secure-function:fix';

/** One change the library made to a user's construct so that it passes a control while doing the same. */
export interface FixNote {
  /** The control the change satisfies. */
  readonly control: string;
  /** What was changed, in words. */
  readonly change: string;
}

/**
 * Records a fix on the construct it changed: metadata the audit report lists,
 * and an info message for the reader of synth output unless the caller writes its own.
 */
export function recordFix(construct: IConstruct, note: FixNote, announce = true): void {
  construct.node.addMetadata(FIX_METADATA_TYPE, note);
  if (announce) {
    Annotations.of(construct).addInfo(`cdk-secure-function fixed ${note.control}: ${note.change}.`);
  }
}

/** Every fix recorded under `root`, with where it was made. */
export function fixesUnder(root: IConstruct): Array<FixNote & { readonly at: string }> {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((entry) => entry.type === FIX_METADATA_TYPE)
    .map((entry) => ({ at: c.node.path, ...(entry.data as FixNote) })));
}
