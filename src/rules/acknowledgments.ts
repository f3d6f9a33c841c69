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
    for (const found of acknowledgmentsAbove(start)) {
      if (wanted.has(found.id)) {
        return { constructPath: found.constructPath, reason: found.reason };
      }
    }
  }
  return undefined;
}

/**
 * Every id acknowledged on `construct` or an ancestor, in one walk up the tree
 * (for callers that ask about many rules at once).
 */
export function acknowledgedIds(construct: IConstruct): Set<string> {
  const ids = new Set<string>();
  for (const found of acknowledgmentsAbove(construct)) {
    ids.add(found.id);
  }
  return ids;
}

/** The acknowledgments made on `start` and its ancestors, nearest first. */
function* acknowledgmentsAbove(start: IConstruct): Generator<FoundAcknowledgment & { readonly id: string }> {
  for (let current: IConstruct | undefined = start; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) {
        continue;
      }
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        yield { id: id.replace(/^annotation::/i, ''), constructPath: current.node.path, reason };
      }
    }
  }
}
