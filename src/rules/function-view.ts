import { CfnResource, Stack } from 'aws-cdk-lib';
import { isPublicSubnet } from './subnets';
import { asArray, referencedIds } from '../cfn/references';
import { ResolvedResource, StackIndex } from '../cfn/stack-index';

/** Something the function refers to that lives outside the stack (imported): rules cannot judge it. */
export const EXTERNAL = 'external';

/** A policy document that applies to the function's role, and the resource that holds it. */
export interface AttachedPolicy {
  /** The policy document, resolved. */
  readonly document: { Statement?: unknown };
  /** The role (inline policy) or policy resource that holds it. */
  readonly source: ResolvedResource;
}

const LAMBDA_RULE_PREFIX = /^LAMBDA_/;

/**
 * One `AWS::Lambda::Function` and its surroundings, as the template will say:
 * its role and every policy attached to it, the permissions, URLs and
 * asynchronous-invocation configs that target it (or its aliases and versions),
 * its log group, security groups and subnets,
 * its code-signing config, the alarms on its metrics and the stack's Lambda
 * Config rules. Each part is looked up the first time a rule asks for it.
 */
export class FunctionView {
  /**
   * The view of the function resource `fn`.
   *
   * @param fn the AWS::Lambda::Function resource
   * @param index the index of its stack, when the caller keeps one for a whole pass
   */
  public static of(fn: CfnResource, index: StackIndex = StackIndex.of(Stack.of(fn))): FunctionView {
    return new FunctionView(index, index.get(index.idOf(fn))!);
  }

  private _targets?: Set<string>;

  private constructor(
    /** The stack's resources. */
    public readonly index: StackIndex,
    /** The function. */
    public readonly fn: ResolvedResource,
  ) {}

  /** The function's resolved properties. */
  public get props(): Record<string, any> {
    return this.fn.properties;
  }

  /** Whether the function's code is a container image. */
  public get isImage(): boolean {
    return this.props.PackageType === 'Image' || this.props.Code?.ImageUri !== undefined;
  }

  /** The logical ids that stand for this function: itself, its versions and its aliases. */
  public get targets(): Set<string> {
    if (!this._targets) {
      const aliasesByFunction = this.index.memo('versionsAndAliasesByFunction', () => {
        const table = new Map<string, string[]>();
        for (const type of ['AWS::Lambda::Version', 'AWS::Lambda::Alias']) {
          for (const r of this.index.ofType(type)) {
            for (const id of referencedIds(r.properties.FunctionName)) {
              table.set(id, [...(table.get(id) ?? []), r.logicalId]);
            }
          }
        }
        return table;
      });
      this._targets = new Set([this.fn.logicalId, ...(aliasesByFunction.get(this.fn.logicalId) ?? [])]);
    }
    return this._targets;
  }

  /** Resources of `type` whose `property` refers to this function, a version or an alias. */
  public targeting(type: string, property: string): ResolvedResource[] {
    return this.index.ofType(type).filter((r) => referencedIds(r.properties[property]).some((id) => this.targets.has(id)));
  }

  /** Resource-based permissions on the function, its versions and aliases. */
  public get permissions(): ResolvedResource[] {
    return this.targeting('AWS::Lambda::Permission', 'FunctionName');
  }

  /** Function URLs of the function, its versions and aliases. */
  public get urls(): ResolvedResource[] {
    return this.targeting('AWS::Lambda::Url', 'TargetFunctionArn');
  }

  /** Asynchronous-invocation configs (destinations) of the function. */
  public get eventInvokeConfigs(): ResolvedResource[] {
    return this.targeting('AWS::Lambda::EventInvokeConfig', 'FunctionName');
  }

  /** The in-stack resource a property refers to directly, EXTERNAL when it is elsewhere, undefined when unset. */
  public referenced(value: unknown, type: string): ResolvedResource | typeof EXTERNAL | undefined {
    if (value === undefined) {
      return undefined;
    }
    const found = referencedIds(value).map((id) => this.index.get(id)).find((r) => r?.type === type);
    return found ?? EXTERNAL;
  }

  /** The execution role. */
  public get role(): ResolvedResource | typeof EXTERNAL | undefined {
    return this.referenced(this.props.Role, 'AWS::IAM::Role');
  }

  /** Every policy document that applies to the role: inline, AWS::IAM::Policy and customer-managed policies. */
  public get rolePolicies(): AttachedPolicy[] {
    const role = this.role;
    return role === undefined || role === EXTERNAL ? [] : rolePoliciesOf(this.index, role);
  }

  /** The managed policy ARNs attached to the role, resolved (strings, or intrinsics for partitions). */
  public get managedPolicyArns(): unknown[] {
    const role = this.role;
    return role === undefined || role === EXTERNAL ? [] : asArray(role.properties.ManagedPolicyArns);
  }

  /**
   * The function's log group: the one named in LoggingConfig, or a log group (or
   * CDK log-retention resource) named after the function; undefined when Lambda
   * will create an unencrypted one with no retention.
   */
  public get logGroup(): ResolvedResource | typeof EXTERNAL | undefined {
    const configured = this.props.LoggingConfig?.LogGroup;
    if (configured !== undefined) {
      const byRef = referencedIds(configured).map((id) => this.index.get(id)).find((r) => r?.type === 'AWS::Logs::LogGroup');
      if (byRef) {
        return byRef;
      }
      const byName = this.index.ofType('AWS::Logs::LogGroup').find((r) => JSON.stringify(r.properties.LogGroupName) === JSON.stringify(configured));
      return byName ?? EXTERNAL;
    }
    for (const type of ['AWS::Logs::LogGroup', 'Custom::LogRetention']) {
      const named = this.index.ofType(type).find((r) => referencedIds(r.properties.LogGroupName).includes(this.fn.logicalId));
      if (named) {
        return named;
      }
    }
    return undefined;
  }

  /** The security groups (EXTERNAL entries for imported ones). */
  public get securityGroups(): Array<ResolvedResource | typeof EXTERNAL> {
    return asArray(this.props.VpcConfig?.SecurityGroupIds).map((id) => this.referenced(id, 'AWS::EC2::SecurityGroup') ?? EXTERNAL);
  }

  /** Egress rules of a security group: inline ones and AWS::EC2::SecurityGroupEgress resources. */
  public egressRules(group: ResolvedResource): Array<{ rule: Record<string, any>; source: ResolvedResource }> {
    const rules = asArray(group.properties.SecurityGroupEgress).map((rule) => ({ rule: rule as Record<string, any>, source: group }));
    for (const egress of this.index.ofType('AWS::EC2::SecurityGroupEgress')) {
      if (referencedIds(egress.properties.GroupId).includes(group.logicalId)) {
        rules.push({ rule: egress.properties, source: egress });
      }
    }
    return rules;
  }

  /** The subnets (EXTERNAL entries for imported ones). */
  public get subnets(): Array<ResolvedResource | typeof EXTERNAL> {
    return asArray(this.props.VpcConfig?.SubnetIds).map((id) => this.referenced(id, 'AWS::EC2::Subnet') ?? EXTERNAL);
  }

  /** Whether a subnet of the stack is public: it maps public IPs, or its route table routes to an internet gateway. */
  public isPublicSubnet(subnet: ResolvedResource): boolean {
    return isPublicSubnet(this.index, subnet);
  }

  /** The code-signing config. */
  public get codeSigningConfig(): ResolvedResource | typeof EXTERNAL | undefined {
    return this.referenced(this.props.CodeSigningConfigArn, 'AWS::Lambda::CodeSigningConfig');
  }

  /**
   * CloudWatch alarms on a metric of this function: a FunctionName dimension that
   * refers to the function (or an alias or version), or names it literally.
   */
  public get alarms(): ResolvedResource[] {
    const byFunction = this.index.memo('alarmsByFunctionName', () => {
      const table = new Map<string, ResolvedResource[]>();
      for (const alarm of this.index.ofType('AWS::CloudWatch::Alarm')) {
        const dimensions = [
          ...asArray(alarm.properties.Dimensions),
          ...asArray(alarm.properties.Metrics).flatMap((m: any) => asArray(m?.MetricStat?.Metric?.Dimensions)),
        ] as Array<{ Name?: string; Value?: unknown }>;
        const keys = dimensions.filter((d) => d.Name === 'FunctionName')
          .flatMap((d) => (typeof d.Value === 'string' ? [`name:${d.Value}`] : referencedIds(d.Value).map((id) => `ref:${id}`)));
        for (const key of new Set(keys)) {
          table.set(key, [...(table.get(key) ?? []), alarm]);
        }
      }
      return table;
    });
    const keys = [...this.targets].map((id) => `ref:${id}`);
    if (typeof this.props.FunctionName === 'string') {
      keys.push(`name:${this.props.FunctionName}`);
    }
    return [...new Set(keys.flatMap((key) => byFunction.get(key) ?? []))];
  }

  /** AWS Config rules of the stack that judge Lambda functions. */
  public get lambdaConfigRules(): ResolvedResource[] {
    return this.index.ofType('AWS::Config::ConfigRule').filter((rule) => {
      const identifier = rule.properties.Source?.SourceIdentifier;
      return typeof identifier === 'string' && LAMBDA_RULE_PREFIX.test(identifier);
    });
  }
}

/** Every policy document that applies to a role of the stack: inline, AWS::IAM::Policy and customer-managed policies. */
export function rolePoliciesOf(index: StackIndex, role: ResolvedResource): AttachedPolicy[] {
  const policies: AttachedPolicy[] = [];
  for (const inline of asArray(role.properties.Policies)) {
    policies.push({ document: (inline as any)?.PolicyDocument ?? {}, source: role });
  }
  const attached = new Set(referencedIds(role.properties.ManagedPolicyArns));
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const policy of index.ofType(type)) {
      if (referencedIds(policy.properties.Roles).includes(role.logicalId) || attached.has(policy.logicalId)) {
        policies.push({ document: policy.properties.PolicyDocument ?? {}, source: policy });
      }
    }
  }
  return policies;
}
