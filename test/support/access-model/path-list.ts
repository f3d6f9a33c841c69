// The paths of the access model as they are collected: a request, why it is
// expected, and the key use that goes with it.
import { AccessRequest } from './iam-model';

/** A request, why it is expected, and the decision expected. */
export interface Path {
  readonly why: string;
  readonly request: AccessRequest;
  /** Identity policies of a principal that lives outside the template. */
  readonly outsideIdentity?: any[];
}

type Context = Record<string, string>;

/** Paths being collected. */
export class PathList {
  public readonly paths: Path[] = [];

  /** One request, expected for `why`. */
  public add(why: string, principal: string, action: string, resource: string, context?: Context, outsideIdentity?: any[]): void {
    const request = { principal, action, resource, ...(context ? { context } : {}) };
    this.paths.push({ why, request, ...(outsideIdentity ? { outsideIdentity } : {}) });
  }

  /** Each of `actions` on `key`, when there is a key (a template key: keys outside the template are not judged). */
  public keyUse(why: string, principal: string, key: string | undefined, actions: string[], context: Context = {}, outsideIdentity?: any[]): void {
    for (const action of key ? actions : []) {
      this.paths.push({ why, request: { principal, action, resource: key!, context }, outsideIdentity });
    }
  }
}
