// The IAM side of the access model: "may principal P perform action A on
// resource R?" over a deployed view of a template, combining the principal's
// identity policies and permissions boundary with the resource's own policy
// (key policy, topic, queue, bucket and secret policies, function permissions,
// role trust policies), under the organization's service control policies when
// given. The evaluation itself is @cloud-copilot/iam-simulate's.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ResolvedTemplate } from './cfn-resolver';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One request, as AWS would authorize it. */
export interface AccessRequest {
  /** A role or account ARN, or a service principal such as 'cloudwatch.amazonaws.com'. */
  readonly principal: string;
  readonly action: string;
  /** The resource's ARN. */
  readonly resource: string;
  /** Context keys of the request (aws:SourceArn, kms:ViaService ...); the model adds the ones it can derive. */
  readonly context?: Record<string, string | string[]>;
  /**
   * A call Lambda makes with a function's role outside the function's execution
   * environment (decrypting its environment, managing its network interfaces,
   * polling its event sources, dead letters, asynchronous destinations): AWS adds
   * no lambda:SourceFunctionArn to it. Without the flag, a request whose principal
   * is the role of a function of the template carries that function's ARN.
   */
  readonly outsideEnvironment?: boolean;
}

export interface PolicyDoc { readonly Version?: string; readonly Statement: any }
interface NamedPolicy { readonly name: string; readonly policy: PolicyDoc }

// iam-simulate 0.1.173 drops every kms:EncryptionContext:* key (it matches only
// 'prefix/${Var}' variable keys), so such a condition would never match. The key
// is renamed to an equivalent slash-style key, the same way in the policies and
// in the request, which it evaluates correctly.
const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:/i;
const EC_ALIAS = 'aws:RequestTag/__kms_encryption_context__:';
const renameKey = (key: string): string => (ENCRYPTION_CONTEXT.test(key) ? EC_ALIAS + key.replace(ENCRYPTION_CONTEXT, '') : key);

function renamePolicy(policy: PolicyDoc): PolicyDoc {
  const statements = ([] as any[]).concat(policy.Statement).map((st) => (!st.Condition ? st : {
    ...st,
    Condition: Object.fromEntries(Object.entries(st.Condition as Record<string, Record<string, unknown>>)
      .map(([op, block]) => [op, Object.fromEntries(Object.entries(block).map(([k, v]) => [renameKey(k), v]))])),
  }));
  return { Version: policy.Version ?? '2012-10-17', Statement: statements };
}

/** The policy AWS Organizations attaches to every root, OU and account: SCPs only take away from it. */
export const FULL_AWS_ACCESS: PolicyDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The key AWS adds to requests made with a function's credentials from inside its execution environment. */
export const SOURCE_FUNCTION_KEY = 'lambda:SourceFunctionArn';

const isService = (principal: string): boolean => !principal.startsWith('arn:');
const accountOf = (arn: string): string => arn.split(':')[4] ?? '';

/** Every policy in a deployed template, indexed by who holds it. */
export class IamModel {
  public static of(deployed: ResolvedTemplate): IamModel {
    return new IamModel(deployed);
  }

  /** Role ARN -> identity policies. */
  private readonly identity = new Map<string, NamedPolicy[]>();
  /** Role ARN -> permissions boundary (when it is a policy of the template). */
  private readonly boundaries = new Map<string, NamedPolicy>();
  /** Resource ARN -> its resource policy statements. */
  private readonly resourcePolicies = new Map<string, any[]>();
  /** Every policy document of the template, for reference checks: [where, document]. */
  public readonly documents: Array<[string, PolicyDoc]> = [];
  /** Execution role ARN -> the ARN of its (first) function; worked out when first needed. */
  private functionsByRole?: Map<string, string>;

  private constructor(public readonly deployed: ResolvedTemplate) {
    this.indexIdentity();
    this.indexResourcePolicies();
  }

  /** The ARN of every role of the template. */
  public get roles(): string[] {
    return [...this.identity.keys()];
  }

  /** The identity policies of `roleArn`. */
  public identityPolicies(roleArn: string): NamedPolicy[] {
    return this.identity.get(roleArn) ?? [];
  }

  /** The role ARN of the role resource `logicalId`. */
  public roleArn(logicalId: string): string {
    return this.deployed.getAtt(logicalId, 'Arn');
  }

  /** The ARN of the function of the template whose execution role is `roleArn` (the first, when several share it). */
  public functionOfRole(roleArn: string): string | undefined {
    if (!this.functionsByRole) {
      this.functionsByRole = new Map();
      for (const fn of this.deployed.ofType('AWS::Lambda::Function')) {
        const role = fn.properties.Role;
        if (typeof role === 'string' && !this.functionsByRole.has(role)) this.functionsByRole.set(role, this.deployed.getAtt(fn.logicalId, 'Arn'));
      }
    }
    return this.functionsByRole.get(roleArn);
  }

  /** Whether an identity policy of `roleArn` has a condition on lambda:SourceFunctionArn: its credentials are bound to its function. */
  public isBound(roleArn: string): boolean {
    const key = SOURCE_FUNCTION_KEY.toLowerCase();
    const boundStatement = (st: any) => Object.values<Record<string, unknown>>(st?.Condition ?? {})
      .some((block) => Object.keys(block ?? {}).some((k) => k.toLowerCase() === key));
    return this.identityPolicies(roleArn).some((p) => ([] as any[]).concat(p.policy.Statement).some(boundStatement));
  }

  /**
   * The decision for `request`, with extra identity policies for principals
   * outside the template (an administrator, another account's role) and the
   * service control policies of the organization (under FullAWSAccess, at one
   * level; they do not apply to service principals).
   */
  public async decide(request: AccessRequest, extraIdentity: PolicyDoc[] = [], serviceControlPolicies: PolicyDoc[] = []): Promise<Decision> {
    const result = await this.simulate(request, extraIdentity, serviceControlPolicies);
    if (result.resultType !== 'single') {
      throw new Error(`iam-simulate could not evaluate ${JSON.stringify(request)}: ${JSON.stringify(result.errors ?? result)}`);
    }
    return result.overallResult as Decision;
  }

  private async simulate(request: AccessRequest, extraIdentity: PolicyDoc[], scps: PolicyDoc[]): Promise<any> {
    const service = isService(request.principal);
    const organization = service || scps.length === 0 ? [] : [{
      orgIdentifier: 'ou-model-guardrails',
      policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...scps.map((policy, i) => ({ name: `scp${i + 1}`, policy: renamePolicy(policy) }))],
    }];
    const identity = service ? [] : [
      ...this.identityPolicies(request.principal),
      ...extraIdentity.map((policy, i) => ({ name: `extra${i}`, policy })),
    ];
    const boundary = service ? undefined : this.boundaries.get(request.principal);
    const resourceStatements = this.resourcePolicyOf(request.resource);
    const context = this.contextFor(request);
    return runSimulation({
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: this.resourceAccount(request.resource) },
        contextVariables: Object.fromEntries(Object.entries(context).map(([k, v]) => [renameKey(k), v])),
      },
      identityPolicies: identity.map((p) => ({ name: p.name, policy: renamePolicy(p.policy) })),
      serviceControlPolicies: organization,
      resourceControlPolicies: [],
      resourcePolicy: resourceStatements.length > 0 ? renamePolicy({ Statement: resourceStatements }) : undefined,
      permissionBoundaryPolicies: boundary ? [{ name: boundary.name, policy: renamePolicy(boundary.policy) }] : undefined,
    } as any, {});
  }

  /** The context keys AWS sets itself for this request, under the ones given. */
  private contextFor(request: AccessRequest): Record<string, string | string[]> {
    const derived: Record<string, string | string[]> = { 'aws:SecureTransport': 'true' };
    if (isService(request.principal)) {
      derived['aws:PrincipalIsAWSService'] = 'true';
      derived['aws:PrincipalServiceName'] = request.principal;
    } else {
      derived['aws:PrincipalIsAWSService'] = 'false';
      derived['aws:PrincipalArn'] = request.principal;
      derived['aws:PrincipalAccount'] = accountOf(request.principal);
      if (request.action.toLowerCase().startsWith('kms:')) {
        derived['kms:CallerAccount'] = accountOf(request.principal);
      }
      const fn = request.outsideEnvironment ? undefined : this.functionOfRole(request.principal);
      if (fn) derived[SOURCE_FUNCTION_KEY] = fn;
    }
    derived['aws:ResourceAccount'] = this.resourceAccount(request.resource);
    return { ...derived, ...request.context };
  }

  private resourceAccount(arn: string): string {
    // S3 ARNs carry no account: the bucket is the stack's.
    return accountOf(arn) || this.deployed.env.account;
  }

  /** The resource policy that governs `arn`: its own, or its bucket's for an object. */
  public resourcePolicyOf(arn: string): any[] {
    const own = this.resourcePolicies.get(arn);
    if (own) {
      return own;
    }
    if (arn.startsWith('arn:') && arn.split(':')[2] === 's3') {
      const bucket = arn.split('/')[0];
      return this.resourcePolicies.get(bucket) ?? [];
    }
    return [];
  }

  private indexIdentity(): void {
    const d = this.deployed;
    const managed = new Map<string, NamedPolicy>();
    for (const policy of d.ofType('AWS::IAM::ManagedPolicy')) {
      const named = { name: policy.logicalId, policy: policy.properties.PolicyDocument };
      managed.set(d.ref(policy.logicalId), named);
      this.documents.push([policy.logicalId, named.policy]);
    }
    const byName = new Map<string, string>();
    for (const role of d.ofType('AWS::IAM::Role')) {
      const arn = d.getAtt(role.logicalId, 'Arn');
      byName.set(d.ref(role.logicalId), arn);
      const policies: NamedPolicy[] = [];
      for (const inline of role.properties.Policies ?? []) {
        policies.push({ name: `${role.logicalId}/${inline.PolicyName}`, policy: inline.PolicyDocument });
        this.documents.push([`${role.logicalId}/${inline.PolicyName}`, inline.PolicyDocument]);
      }
      for (const attached of role.properties.ManagedPolicyArns ?? []) {
        const found = managed.get(attached);
        if (found) {
          policies.push(found);
        }
      }
      this.identity.set(arn, policies);
      const boundary = role.properties.PermissionsBoundary && managed.get(role.properties.PermissionsBoundary);
      if (boundary) {
        this.boundaries.set(arn, boundary);
      }
      this.addResourceStatements(arn, role.properties.AssumeRolePolicyDocument, `${role.logicalId}/trust`);
    }
    const attach = (roles: string[] | undefined, policy: NamedPolicy) => {
      for (const name of roles ?? []) {
        const arn = byName.get(name);
        if (arn && !this.identity.get(arn)!.includes(policy)) {
          this.identity.get(arn)!.push(policy);
        }
      }
    };
    for (const policy of d.ofType('AWS::IAM::ManagedPolicy')) {
      attach(policy.properties.Roles, managed.get(d.ref(policy.logicalId))!);
    }
    for (const policy of d.ofType('AWS::IAM::Policy')) {
      const named = { name: policy.logicalId, policy: policy.properties.PolicyDocument };
      this.documents.push([policy.logicalId, named.policy]);
      attach(policy.properties.Roles, named);
    }
  }

  private indexResourcePolicies(): void {
    const d = this.deployed;
    for (const key of d.ofType('AWS::KMS::Key')) {
      this.addResourceStatements(d.getAtt(key.logicalId, 'Arn'), key.properties.KeyPolicy, key.logicalId);
    }
    for (const policy of d.ofType('AWS::SNS::TopicPolicy')) {
      for (const topic of policy.properties.Topics ?? []) {
        this.addResourceStatements(topic, policy.properties.PolicyDocument, policy.logicalId);
      }
    }
    const queueArnByUrl = new Map(d.ofType('AWS::SQS::Queue').map((q) => [d.ref(q.logicalId), d.getAtt(q.logicalId, 'Arn')]));
    for (const policy of d.ofType('AWS::SQS::QueuePolicy')) {
      for (const url of policy.properties.Queues ?? []) {
        this.addResourceStatements(queueArnByUrl.get(url) ?? url, policy.properties.PolicyDocument, policy.logicalId);
      }
    }
    for (const policy of d.ofType('AWS::S3::BucketPolicy')) {
      this.addResourceStatements(`arn:${d.env.partition}:s3:::${policy.properties.Bucket}`, policy.properties.PolicyDocument, policy.logicalId);
    }
    for (const policy of d.ofType('AWS::SecretsManager::ResourcePolicy')) {
      this.addResourceStatements(policy.properties.SecretId, policy.properties.ResourcePolicy, policy.logicalId);
    }
    for (const permission of d.ofType('AWS::Lambda::Permission')) {
      const statement = permissionStatement(d, permission.properties);
      this.addResourceStatements(statement.Resource, { Statement: [statement] }, permission.logicalId);
    }
  }

  private addResourceStatements(arn: string, document: PolicyDoc | undefined, where: string): void {
    if (!document) {
      return;
    }
    this.documents.push([where, document]);
    const list = this.resourcePolicies.get(arn) ?? [];
    list.push(...([] as any[]).concat(document.Statement));
    this.resourcePolicies.set(arn, list);
  }
}

/** An AWS::Lambda::Permission as the statement Lambda adds to the function's policy. */
function permissionStatement(d: ResolvedTemplate, p: any): any {
  const name: string = p.FunctionName;
  const resource = name.startsWith('arn:') ? name : `arn:${d.env.partition}:lambda:${d.env.region}:${d.env.account}:function:${name}`;
  const principal = /^\d{12}$/.test(p.Principal) || p.Principal.startsWith('arn:') ? { AWS: p.Principal } : p.Principal === '*' ? '*' : { Service: p.Principal };
  const condition: Record<string, Record<string, string>> = {};
  if (p.SourceArn) condition.ArnLike = { 'aws:SourceArn': p.SourceArn };
  if (p.SourceAccount) condition.StringEquals = { ...condition.StringEquals, 'aws:SourceAccount': p.SourceAccount };
  if (p.PrincipalOrgID) condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': p.PrincipalOrgID };
  if (p.FunctionUrlAuthType) condition.StringEquals = { ...condition.StringEquals, 'lambda:FunctionUrlAuthType': p.FunctionUrlAuthType };
  return {
    Sid: 'permission',
    Effect: 'Allow',
    Principal: principal,
    Action: p.Action,
    Resource: resource,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}
