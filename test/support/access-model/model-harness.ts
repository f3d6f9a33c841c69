// What the access model's own tests need: a stack's template resolved, its IAM
// model, its intended and negative paths, and the decision of any request.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MODEL_ENV } from './access-model';
import { CfnTemplate, ResolvedTemplate } from './cfn-resolver';
import { AccessRequest, Decision, IamModel } from './iam-model';
import { intendedPaths, negativePaths } from './intended-paths';
import { Path } from './path-list';

/** A template as the model sees it. */
export class Judged {
  public static of(stack: Stack | CfnTemplate): Judged {
    return new Judged(stack instanceof Stack ? Template.fromStack(stack).toJSON() : stack);
  }

  public readonly deployed: ResolvedTemplate;
  public readonly iam: IamModel;

  private constructor(public readonly template: any) {
    this.deployed = ResolvedTemplate.of(template, MODEL_ENV);
    this.iam = IamModel.of(this.deployed);
  }

  /** The intended paths whose reason matches `why`. */
  public intended(why: RegExp): Path[] {
    return intendedPaths(this.deployed).filter((p) => why.test(p.why));
  }

  /** The negative paths whose reason matches `why`. */
  public negative(why: RegExp): Path[] {
    return negativePaths(this.deployed).filter((p) => why.test(p.why));
  }

  /** The decision of each path, as `action resource: decision`. */
  public async decisions(paths: Path[]): Promise<string[]> {
    const out: string[] = [];
    for (const path of paths) out.push(`${path.request.action} ${path.request.resource}: ${await this.iam.decide(path.request, path.outsideIdentity)}`);
    return out;
  }

  public async decide(request: AccessRequest): Promise<Decision> {
    return this.iam.decide(request);
  }

  /** Ref of the one resource of `type` whose logical id starts with `prefix`. */
  public ref(type: string, prefix: string): string {
    return this.deployed.ref(this.id(type, prefix));
  }

  public getAtt(type: string, prefix: string, attribute: string): string {
    return this.deployed.getAtt(this.id(type, prefix), attribute);
  }

  public id(type: string, prefix: string): string {
    const ids = this.deployed.ofType(type).map((r) => r.logicalId).filter((id) => id.startsWith(prefix));
    if (ids.length !== 1) throw new Error(`${ids.length} resources of ${type} start with ${prefix}: ${ids.join(', ')}`);
    return ids[0];
  }
}
