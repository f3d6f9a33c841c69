import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { LambdaGuardrailsOptions } from './guardrail-options';
import { guardrailStatements } from './guardrail-statements';
import { policyDocuments, SCP_MAX_DOCUMENTS } from './policy-documents';

/** Properties of `LambdaGuardrails`. */
export interface LambdaGuardrailsProps extends LambdaGuardrailsOptions {
  /**
   * The organization root, OUs or accounts the policies are attached to.
   *
   * @default - none: the policies are created, to be attached elsewhere
   */
  readonly targetIds?: string[];

  /**
   * The name of the policies (`<name>-1`, `<name>-2`... when they take several).
   *
   * @default 'LambdaGuardrails'
   */
  readonly policyName?: string;
}

/** One statement of the guardrails: the rule it prevents and the controls that rule maps to. */
export interface GuardrailStatementInfo {
  /** The statement's Sid. */
  readonly sid: string;
  /** The catalog rule it prevents on every path. */
  readonly ruleId: string;
  /** The Lambda API actions it refuses. */
  readonly actions: string[];
  /** The AWS Control Tower controls of the rule. */
  readonly controlTower: string[];
  /** The AWS Security Hub controls of the rule. */
  readonly securityHub: string[];
}

/** A guardrail statement not rendered, and why (a relaxation, or an approved list not given). */
export interface GuardrailOmissionInfo {
  /** The Sid it would have. */
  readonly sid: string;
  /** The catalog rule it belongs to. */
  readonly ruleId: string;
  /** Why it is left out. */
  readonly reason: string;
}

/**
 * The Lambda guardrails of an organization: service control policies,
 * generated from the rule catalog, that refuse on every path (console, CLI,
 * SDKs, Terraform, CloudFormation) what a condition key can show of the
 * catalog's rules: functions outside a VPC or an approved VPC, subnet or
 * security group; functions without code signing or with layers of unknown
 * accounts; function URLs without IAM auth; invoke permissions and resource
 * policies naming principals outside the account and the approved ones.
 *
 * Deploy it in the management account (or a delegated administrator for
 * Organizations policies). Each statement's Sid names its rule; roles are
 * exempted by name with a reason, never by wildcard; the CDK deployment role
 * may create this library's helper functions (`securefn-helper-*`) without
 * VPC or signing, and nothing else.
 *
 * For teams that manage SCPs elsewhere, `LambdaGuardrails.renderPolicies`
 * returns the same documents as JSON.
 */
export class LambdaGuardrails extends Construct {
  /** The policy documents (JSON), each within the service control policy size limit. */
  public static renderPolicies(options: LambdaGuardrailsOptions = {}): string[] {
    return policyDocuments(guardrailStatements(options).statements);
  }

  /** What each rendered statement prevents. */
  public static describe(options: LambdaGuardrailsOptions = {}): GuardrailStatementInfo[] {
    return guardrailStatements(options).statements.map(({ sid, rule, statement }) => ({
      sid,
      ruleId: rule.id,
      actions: ([] as string[]).concat(statement.Action as string | string[]),
      controlTower: [...rule.controls.controlTower ?? []],
      securityHub: [...rule.controls.securityHub ?? []],
    }));
  }

  /** The statements left out under `options`, and why. */
  public static omissions(options: LambdaGuardrailsOptions = {}): GuardrailOmissionInfo[] {
    return guardrailStatements(options).omitted.map(({ sid, rule, reason }) => ({ sid, ruleId: rule.id, reason }));
  }

  /** The service control policies. */
  public readonly policies: organizations.CfnPolicy[];

  /** Their documents (JSON), in the same order. */
  public readonly documents: string[];

  constructor(scope: Construct, id: string, props: LambdaGuardrailsProps = {}) {
    super(scope, id);
    const { statements } = guardrailStatements(props);
    this.documents = policyDocuments(statements);
    if (this.documents.length > SCP_MAX_DOCUMENTS) {
      throw new Error(`LambdaGuardrails ${this.node.path}: the guardrails take ${this.documents.length} service control policies, over the ${SCP_MAX_DOCUMENTS} a target can take beside FullAWSAccess: approve fewer values, or relax statements you enforce otherwise`);
    }
    const name = props.policyName ?? 'LambdaGuardrails';
    this.policies = this.documents.map((document, i) => {
      const parsed = JSON.parse(document) as { Statement: Array<{ Sid: string }> };
      const sids = new Set(parsed.Statement.map((s) => s.Sid));
      const rules = [...new Set(statements.filter((s) => sids.has(s.sid)).map((s) => s.rule.id))];
      return new organizations.CfnPolicy(this, `Policy${i + 1}`, {
        name: this.documents.length === 1 ? name : `${name}-${i + 1}`,
        type: 'SERVICE_CONTROL_POLICY',
        description: `Lambda guardrails from the cdk-secure-function rule catalog (${i + 1}/${this.documents.length}): ${rules.join(', ')}`.slice(0, 512),
        content: parsed,
        targetIds: props.targetIds,
        tags: [
          ...(props.exemptRoles ?? []).map((e) => tag(`securefn:exempt:${e.roleName}`, e.reason)),
          ...(props.relaxations ?? []).map((r) => tag(`securefn:relaxed:${r.statement}`, r.reason)),
        ],
      });
    });
  }
}

/** A tag Organizations accepts: letters, digits, spaces and _.:/=+-@ only, within its lengths. */
function tag(key: string, value: string) {
  const clean = (text: string, max: number) => text.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
  return { key: clean(key, 128), value: clean(value, 256) };
}
