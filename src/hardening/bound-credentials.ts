import { CfnResource, IAspect, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { stackAspectOf } from '../aspects/stack-aspects';
import { currentProperties } from '../cfn/cdk-internals';
import { acknowledgeRequiredWildcards } from '../iam/required-wildcards';

/**
 * The key AWS adds to the request context of calls made with a function's
 * credentials from inside its execution environment (and to Lambda's own log
 * writes, X-Ray segments and EFS mounts): the function's ARN.
 */
export const SOURCE_FUNCTION_KEY = 'lambda:SourceFunctionArn';

/** The acknowledgment id under which a function's credentials are left unbound, with the reason. */
export const UNBOUND_CREDENTIALS_ID = 'cdk-secure-function::unbound-credentials';

/**
 * Services whose use of a grant the code's calls do not carry the key to:
 * KMS used on the code's behalf by another service (kms:ViaService), and EFS,
 * whose mount AWS documents as bound for ClientMount alone. Their statements
 * stay as they are; a mount also needs the function's network path.
 */
const UNBOUND_SERVICES = /^(kms|elasticfilesystem):/i;

/**
 * The code's grants of one function, bound to it: each statement carries
 * `ArnEquals lambda:SourceFunctionArn <function ARN>`, so the role's
 * credentials read from the environment (an SSRF, a dependency gone bad) are
 * refused anywhere but in the function. They live in a customer-managed policy
 * of their own (`CodePolicy`) that names the function, which the function does
 * not wait for: its ARN cannot go into a policy it waits for without a cycle,
 * and Lambda checks none of these grants when it creates the function.
 */
export class BoundCredentials {
  private policy?: iam.ManagedPolicy;

  /**
   * @param host where the policy is created
   * @param label how its description names the function
   * @param functionArn the function's ARN, once the function exists
   * @param unboundReason why the code's grants stay usable outside the function, when they do
   */
  constructor(
    private readonly host: Construct,
    private readonly label: string,
    private readonly functionArn: () => string,
    private readonly unboundReason?: string,
  ) {}

  /** Whether the code's grants are bound. */
  public get active(): boolean {
    return this.unboundReason === undefined;
  }

  /** Records the opt-out on the function, for the audit report. */
  public recordOptOut(fn: IConstruct): void {
    if (this.unboundReason !== undefined) {
      Validations.of(fn).acknowledge({ id: UNBOUND_CREDENTIALS_ID, reason: this.unboundReason });
    }
  }

  /**
   * `statement` bound to the function, with the policy it belongs in; undefined
   * when it stays as it is (binding is off, or its calls do not carry the key).
   */
  public bind(statement: iam.PolicyStatement, role: iam.IRole): { statement: iam.PolicyStatement; policy: iam.ManagedPolicy } | undefined {
    if (!this.active || statement.effect !== iam.Effect.ALLOW || statement.actions.length === 0
      || statement.actions.some((action) => UNBOUND_SERVICES.test(action)) || statement.notActions.length > 0) {
      return undefined;
    }
    const conditions = statement.conditions as Record<string, Record<string, unknown>>;
    const arn = Lazy.string({ produce: () => this.functionArn() });
    const bound = statement.copy({
      conditions: { ...conditions, ArnEquals: { ...conditions.ArnEquals, [SOURCE_FUNCTION_KEY]: arn } },
    });
    return { statement: bound, policy: this.codePolicy(role) };
  }

  /**
   * Makes what may invoke `fn` while CloudFormation deploys (a custom
   * resource, a provider or trigger function, an event source mapping, an
   * alias through which those reach it) wait for the code's grants, decided
   * once the stack is complete.
   */
  public holdInvokers(fn: CfnResource): void {
    stackAspectOf(fn, 'WaitForCodeGrants', (stack) => new WaitForCodeGrants(stack)).hold(fn, () => this.policy);
  }

  private codePolicy(role: iam.IRole): iam.ManagedPolicy {
    if (!this.policy) {
      this.policy = new iam.ManagedPolicy(this.host, 'CodePolicy', {
        description: `What the code of ${this.label} is granted, usable only from within the function (${SOURCE_FUNCTION_KEY})`,
        roles: [role],
      });
      acknowledgeRequiredWildcards(this.policy);
    }
    return this.policy;
  }
}

/** The types of resource that invoke a function while CloudFormation deploys, or stand for it to those that do. */
const INVOKER_TYPES = /^(AWS::CloudFormation::CustomResource|Custom::.+|AWS::Lambda::(Function|Alias|EventSourceMapping))$/;

/**
 * The stack's aspect (MUTATING): once the stack is complete, each resource of
 * an invoker type that names a bound function waits for that function's code
 * policy, unless the policy names it (a cycle).
 */
class WaitForCodeGrants implements IAspect {
  private readonly held: Array<{ fn: CfnResource; policy: () => iam.ManagedPolicy | undefined }> = [];

  constructor(private readonly stack: Stack) {}

  public hold(fn: CfnResource, policy: () => iam.ManagedPolicy | undefined): void {
    this.held.push({ fn, policy });
  }

  public visit(node: IConstruct): void {
    if (node !== this.stack) {
      return;
    }
    const candidates = this.stack.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && INVOKER_TYPES.test(c.cfnResourceType) && Stack.of(c) === this.stack)
      .map((resource) => ({ resource, id: this.stack.resolve(resource.logicalId) as string, text: JSON.stringify(this.stack.resolve(namingProperties(resource))) ?? '' }));
    for (const { fn, policy } of this.held) {
      const codePolicy = policy();
      if (!codePolicy) {
        continue;
      }
      const fnId = this.stack.resolve(fn.logicalId) as string;
      const policyText = JSON.stringify(this.stack.resolve(codePolicy.document));
      for (const { resource, id, text } of candidates) {
        const names = text.includes(`{"Ref":"${fnId}"}`) || text.includes(`{"Fn::GetAtt":["${fnId}",`);
        if (id !== fnId && names && !policyText.includes(`"${id}"`)) {
          resource.node.addDependency(codePolicy);
        }
      }
    }
  }
}

/**
 * What of an invoker can name a function: an alias's or a mapping's function,
 * a function's environment (a provider's handler ARN), a custom resource's
 * properties. Only these are resolved: an alias's version would be hashed again.
 */
function namingProperties(resource: CfnResource): unknown {
  const properties = currentProperties(resource) ?? {};
  switch (resource.cfnResourceType) {
    case 'AWS::Lambda::Alias':
    case 'AWS::Lambda::EventSourceMapping':
      return properties.functionName;
    case 'AWS::Lambda::Function':
      return properties.environment;
    default:
      return properties;
  }
}
