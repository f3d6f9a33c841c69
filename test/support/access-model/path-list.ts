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

/** An administrator's identity policy: what the deployer and outside principals hold. */
export const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The CDK bootstrap's CloudFormation execution role: what creates the stack (administrator by default). */
export const deployer = (env: { partition: string; account: string; region: string }): string =>
  `arn:${env.partition}:iam::${env.account}:role/cdk-hnb659fds-cfn-exec-role-${env.account}-${env.region}`;

/** Paths being collected. */
export class PathList {
  public readonly paths: Path[] = [];
  /** Whether the paths added now are calls Lambda makes with a function's role outside its execution environment. */
  private outside = false;

  /** One request, expected for `why`. */
  public add(why: string, principal: string, action: string, resource: string, context?: Context, outsideIdentity?: any[]): void {
    const request = { principal, action, resource, ...(context ? { context } : {}), ...this.flag() };
    this.paths.push({ why, request, ...(outsideIdentity ? { outsideIdentity } : {}) });
  }

  /** Each of `actions` on `key`, when there is a key (a template key: keys outside the template are not judged). */
  public keyUse(why: string, principal: string, key: string | undefined, actions: string[], context: Context = {}, outsideIdentity?: any[]): void {
    for (const action of key ? actions : []) {
      this.paths.push({ why, request: { principal, action, resource: key!, context, ...this.flag() }, outsideIdentity });
    }
  }

  /**
   * Collects, with `collect`, calls Lambda itself makes with a function's role
   * outside the function's execution environment (pollers, destinations, dead
   * letters): they carry no lambda:SourceFunctionArn.
   */
  public outsideEnvironment(collect: () => void): void {
    const before = this.outside;
    this.outside = true;
    try {
      collect();
    } finally {
      this.outside = before;
    }
  }

  private flag(): { outsideEnvironment?: true } {
    return this.outside ? { outsideEnvironment: true } : {};
  }
}
