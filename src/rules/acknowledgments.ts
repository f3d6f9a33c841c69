import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The name of the cdk-nag pack built from the catalog (ids `SecureFunction-<rule id>`). */
export const PACK_NAME = 'SecureFunction';

/** An acknowledgment found for a rule: where it was made and why. */
export interface FoundAcknowledgment {
  /** The construct the acknowledgment was made on. */
  readonly constructPath: string;
  /** The reason given. */
  readonly reason: string;
}

/**
 * The ids under which a catalog rule may be acknowledged with
 * `Validations.of(construct).acknowledge({ id, reason })`: the rule id itself,
 * the cdk-nag pack's id, and that id namespaced by the pack's plugin name.
 */
export function acknowledgmentIds(ruleId: string): string[] {
  const packId = `${PACK_NAME}-${ruleId}`;
  return [ruleId, packId, `${PACK_NAME}::${packId}`];
}

/**
 * The acknowledgment of `ruleId` on any of `constructs` or their ancestors,
 * nearest first.
 */
export function findAcknowledgment(ruleId: string, ...constructs: IConstruct[]): FoundAcknowledgment | undefined {
  const wanted = new Set(acknowledgmentIds(ruleId));
  for (const start of constructs) {
    for (let current: IConstruct | undefined = start; current; current = current.node.scope) {
      for (const entry of current.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) {
          continue;
        }
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          if (wanted.has(id.replace(/^annotation::/i, ''))) {
            return { constructPath: current.node.path, reason };
          }
        }
      }
    }
  }
  return undefined;
}
