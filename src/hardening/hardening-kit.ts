import { Annotations, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { BoundCredentials } from './bound-credentials';
import { grantDurableState } from './durable-state';
import { GradualDeployment } from './gradual-deployment';
import { HardeningOptions } from './hardening-options';
import { lambdaCodePackageStatement } from '../baseline/key-statements';
import { SecurityBaseline } from '../baseline/security-baseline';
import { invalidInput } from '../cfn/errors';
import { recordFix } from '../cfn/fix-notes';
import { FUNCTION_LOG_RETENTION, grantOwnParts, renderHardenedSettings } from '../cfn/function-settings';
import { GrantRouting, RoleWithPolicy } from '../iam/managed-policy-role';
import { ServiceKeyUse } from '../iam/service-key-use';
import { LambdaServiceGrants } from '../integrations/lambda-service-grants';
import { EndpointConnector } from '../network/endpoint-connector';
import { FunctionAlarms } from '../observability/function-alarms';
import { FunctionDashboard } from '../observability/function-dashboard';

/** What the function runs with, known once it exists. */
export interface AttachedFunction {
  /** The function, as the app holds it. */
  readonly function: lambda.IFunction;
  /** Its resource. */
  readonly resource: lambda.CfnFunction;
  /**
   * What waits for the role's policies before it deploys.
   *
   * @default - the resource
   */
  readonly waitsForPolicies?: IConstruct;
  /** Its role and the role's customer-managed policy. */
  readonly role: RoleWithPolicy;
  /** Its subnets. */
  readonly subnets: ec2.SubnetSelection;
  /** Its own security group, where endpoint egress rules go. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Its timeout. */
  readonly timeout: Duration;
  /** Its reserved concurrency. */
  readonly reservedConcurrentExecutions: number;
}

/** What observing a function made. */
export interface FunctionObservability {
  readonly alarms?: FunctionAlarms;
  readonly dashboard?: FunctionDashboard;
  readonly deployment?: GradualDeployment;
}

/**
 * The controls of one function, built once for SecureFunction and for
 * LambdaHardening alike: its key, VPC, encrypted log group and dead-letter
 * queue (children 'LogGroup' and 'DeadLetterQueue' of `host`), what its role's
 * grants connect to (VPC endpoints, Lambda's pollers), the settings and grants
 * of its own parts, and its alarms.
 */
export class HardeningKit {
  /** The stack's security baseline. */
  public readonly baseline: SecurityBaseline;
  /** The key of the environment, logs, dead letters and code package. */
  public readonly key: kms.IKey;
  /** The VPC the function runs in. */
  public readonly vpc: ec2.IVpc;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The function's dead-letter queue. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** What the role is granted for Lambda's own use (pollers, destinations). */
  public readonly lambdaGrants: LambdaServiceGrants;
  /** The code's grants, bound to the function. */
  public readonly credentials: BoundCredentials;
  private endpoints?: EndpointConnector;
  private controlled?: AttachedFunction;
  /** Which key grants are a service's use of the key, scoped to it (kms:ViaService). */
  private readonly keyUse: ServiceKeyUse;
  /** What the code was granted before the function was attached (a hardened role's earlier grants). */
  private readonly pending: iam.PolicyStatement[] = [];

  /**
   * @param host where the parts are created
   * @param label how descriptions and errors name the function, e.g. 'SecureFunction App/Fn'
   * @param props the choices
   */
  constructor(
    private readonly host: Construct, public readonly label: string, private readonly props: HardeningOptions,
    adopted: { readonly logGroup?: logs.LogGroup } = {},
  ) {
    this.baseline = SecurityBaseline.of(host);
    this.keyUse = new ServiceKeyUse(Stack.of(host));
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = props.encryptionKey ?? this.baseline.key;
    this.vpc = props.vpc ?? this.baseline.network.vpc;
    this.lambdaGrants = new LambdaServiceGrants(host, label, () => this.function.role, () => this.dependent);
    this.credentials = new BoundCredentials(host, label, () => this.function.resource.attrArn, props.unboundCredentialsReason);
    this.logGroup = adopted.logGroup ? adoptLogGroup(adopted.logGroup, this.key, props.logRetention) : new logs.LogGroup(host, 'LogGroup', {
      encryptionKey: this.key,
      retention: props.logRetention ?? FUNCTION_LOG_RETENTION,
      removalPolicy,
    });
    this.deadLetterQueue = new sqs.Queue(host, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.baseline.terminalDeadLetterQueue, maxReceiveCount: 5 },
      removalPolicy,
    });
  }

  /** The function's own security group in `vpc`, with egress closed (child 'SecurityGroup' of `scope`). */
  public newSecurityGroup(scope: Construct): ec2.SecurityGroup {
    return new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: this.vpc,
      allowAllOutbound: false,
      description: `${this.label}: no egress except to the endpoints it uses`,
    });
  }

  /**
   * How the role's grants are routed: what the code is granted connects its
   * VPC endpoint; what Lambda's pollers are granted does not.
   */
  public get routing(): GrantRouting {
    return {
      onGrant: (statement) => {
        if (this.lambdaGrants.active) {
          return;
        }
        if (this.controlled) {
          this.endpoints?.connect(statement);
        } else {
          this.pending.push(statement);
        }
      },
      bind: (statement, role) => {
        if (this.lambdaGrants.active || this.keyUse.scope(statement).length > 0) {
          return undefined;
        }
        return this.credentials.bind(statement, role.role);
      },
      asServiceGrant: (bind) => this.lambdaGrants.during(bind),
      replaceAwsManagedPolicy: (name) => this.lambdaGrants.replaceAwsManagedPolicy(name),
      policyFor: (statement) => this.lambdaGrants.policyFor(statement),
    };
  }

  /** The function's timeout (once `attach` ran). */
  public get timeout(): Duration {
    return this.function.timeout;
  }

  /** What waits for the role's policies. */
  private get dependent(): IConstruct {
    return this.function.waitsForPolicies ?? this.function.resource;
  }

  /** The function under control (once `attach` ran). */
  public get function(): AttachedFunction {
    if (!this.controlled) {
      throw new Error(`${this.label}: the function is not attached yet`);
    }
    return this.controlled;
  }

  /**
   * Renders the settings of the function's own parts, grants them in its
   * role's customer-managed policy, and wires the endpoints its grants use.
   */
  public attach(controlled: AttachedFunction): void {
    this.controlled = controlled;
    const fn = controlled.function;
    const parts = { logGroup: this.logGroup, deadLetterQueue: this.deadLetterQueue, key: this.key };
    if (renderHardenedSettings(fn, parts, controlled.resource)) {
      const { statementAdded } = this.key.addToResourcePolicy(lambdaCodePackageStatement(Stack.of(this.host)), true);
      if (!statementAdded) {
        Annotations.of(this.host).addWarningV2('cdk-secure-function:code-key-policy',
          'encryptionKey is imported, so its key policy cannot be changed here: it must let lambda.amazonaws.com use kms:GenerateDataKey and kms:Decrypt with kms:EncryptionContext:aws:lambda:FunctionArn like arn:<partition>:lambda:<region>:<account>:function:*, or the code package cannot be encrypted and the deployment fails.');
      }
    }
    grantOwnParts(controlled.role.policy, parts, (logWrites) => this.credentials.bind(logWrites, controlled.role.role));
    this.credentials.recordOptOut(controlled.resource);
    this.credentials.holdInvokers(controlled.resource);
    const durable = grantDurableState(this.host, fn, controlled.resource, controlled.role.role, this.credentials.active);
    if (durable) {
      // The durable execution SDK calls the Lambda API from the function's subnets.
      this.pending.push(durable);
    }
    if (this.props.createVpcEndpoints ?? true) {
      this.endpoints = new EndpointConnector({
        owner: this.host,
        registry: this.baseline.endpoints(this.vpc, controlled.subnets),
        securityGroup: controlled.securityGroup,
        function: fn,
        prefixLists: () => this.baseline.prefixLists,
        servicesWithoutEndpoint: this.props.servicesWithoutEndpoint ?? [],
        interfaceForGatewayServices: this.baseline.s3AndDynamoDbThroughInterfaceEndpoints,
      });
      for (const statement of this.pending.splice(0)) {
        this.endpoints.connect(statement);
      }
    }
    // The function's own groups, then the client group of each endpoint service its grants use.
    controlled.resource.addPropertyOverride('VpcConfig.SecurityGroupIds', Lazy.uncachedList({
      produce: () => [...new Set([...fn.connections.securityGroups, ...(this.endpoints?.clientGroups ?? [])])].map((group) => group.securityGroupId),
    }));
  }

  /**
   * Alarms to the stack's topic, the stack's Config rules, and the opt-ins:
   * a dashboard, invocation data events, gradual deployment of `alias`.
   *
   * @param owner the construct that stands for the function (children 'Alarms', 'Dashboard', 'Deployment')
   * @param alias the alias new versions deploy to, for a gradual deployment
   * @param judged what the rules judge as the function, where acknowledgments go (default `owner`)
   */
  public observe(owner: Construct, alias?: lambda.Alias, judged: IConstruct = owner): FunctionObservability {
    const props = this.props;
    const { function: fn, timeout, reservedConcurrentExecutions } = this.function;
    this.baseline.monitoring.watch(fn, judged);
    let alarms: FunctionAlarms | undefined;
    if (props.alarms ?? true) {
      alarms = new FunctionAlarms(owner, 'Alarms', {
        function: fn,
        deadLetterQueue: this.deadLetterQueue,
        timeout,
        reservedConcurrentExecutions,
        topic: this.baseline.monitoring.topic,
        thresholds: props.alarmThresholds,
      });
    } else {
      Annotations.of(owner).addWarningV2('cdk-secure-function:alarms-off',
        'alarms: false: nothing alarms on errors, throttles, duration, concurrency, dead letters, delivery failures, stream lag or recursive loops of this function.');
    }
    const dashboard = props.dashboard
      ? new FunctionDashboard(owner, 'Dashboard', { function: fn, deadLetterQueue: this.deadLetterQueue, alarms: alarms?.all ?? [] })
      : undefined;
    if (props.recordInvocations) {
      this.baseline.invocationTrail.record(fn);
    }
    let deployment: GradualDeployment | undefined;
    if (props.deploymentConfig) {
      checkGradualDeployment(this.label, props, alias !== undefined);
      if (!alarms || !alias) {
        return { alarms, dashboard };
      }
      deployment = new GradualDeployment(owner, 'Deployment', { alias, deploymentConfig: props.deploymentConfig, alarms: [alarms.errors] });
    }
    return { alarms, dashboard, deployment };
  }
}

/**
 * A function's own log group of its stack, kept and given what the controls
 * ask: the function's key unless it has a key of its own, and the retention
 * the hardening was given (else the group's own, or the controls' year where
 * it never expires). Each change is recorded for the audit report.
 */
function adoptLogGroup(group: logs.LogGroup, key: kms.IKey, retention: logs.RetentionDays | undefined): logs.LogGroup {
  const cfn = group.node.defaultChild as logs.CfnLogGroup;
  const changes: string[] = [];
  if (cfn.kmsKeyId === undefined) {
    cfn.kmsKeyId = key.keyArn;
    changes.push(`encrypted with ${key.node.path}`);
  }
  const wanted = retention ?? (cfn.retentionInDays === undefined ? FUNCTION_LOG_RETENTION : undefined);
  if (wanted !== undefined && cfn.retentionInDays !== wanted) {
    cfn.retentionInDays = wanted;
    changes.push(`kept ${wanted} days`);
  }
  if (changes.length > 0) {
    recordFix(group, { control: 'lambda-log-group', change: `adopted as the function's log group: ${changes.join(', ')}` });
  }
  return group;
}

/**
 * Refuses a gradual deployment without what it needs: an alias to shift traffic
 * on and the errors alarm to roll back on. Called before anything is built.
 */
export function checkGradualDeployment(label: string, props: HardeningOptions, hasAlias: boolean): void {
  if (!props.deploymentConfig) {
    return;
  }
  const alarmsOn = props.alarms ?? true;
  if (!hasAlias || !alarmsOn) {
    throw invalidInput(`${label}: 'deploymentConfig'`, hasAlias ? 'needs the errors alarm to roll back on' : 'needs an alias to shift traffic on',
      hasAlias ? 'alarms: false' : 'no alias', hasAlias ? 'keep alarms on (the default)' : 'keep aliasName (the default alias live)');
  }
}
