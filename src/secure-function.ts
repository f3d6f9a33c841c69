import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, Node } from 'constructs';
import { eventDeliveryOf } from './aspects/stack-aspects';
import { SECURE_FUNCTION_MARK, setMark } from './cfn/construct-marks';
import { memoizeVersionId } from './cfn/version-id-memo';
import { GradualDeployment } from './hardening/gradual-deployment';
import { HardeningKit } from './hardening/hardening-kit';
import { DEFAULT_MEMORY_MB, DEFAULT_RESERVED_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS, checkLogRetention } from './hardening/sizing';
import { ManagedPolicyRole } from './iam/managed-policy-role';
import { FunctionIntegrations } from './integrations/function-integrations';
import { checkFunctionUrlOptions, securePermission } from './integrations/invoke-permissions';
import { placeInVpc, selectPrivateSubnets } from './network/placement';
import { FunctionAlarms } from './observability/function-alarms';
import { FunctionDashboard } from './observability/function-dashboard';
import { SecureFunctionAuditReport } from './report/secure-function-audit-report';
import { SecureFunctionProps } from './secure-function-props';
import { checkFunctionInputs, checkNewerSettings, newerSettings, placeDualStack, refuseWithTenancy } from './secure-function-settings';
import { buildEnvironment, checkLimits, checkRuntime, rejectOwnedProps, rejectUnknownProps } from './secure-function-validation';
import { prepareFunctionCode } from './signing/function-code';

/**
 * A Lambda function that is secure by default: its own least-privilege role
 * with a customer-managed policy, private subnets with no egress but to the VPC
 * endpoints it uses, a customer-managed key for everything it stores, secrets by
 * reference, reserved concurrency, an encrypted dead-letter queue, active
 * tracing, JSON logs with retention, and invocations only through its alias with
 * source conditions on every service grant.
 *
 * It is an `IFunction`: event sources, API Gateway integrations and EventBridge
 * targets use it as they use `lambda.Function`, and invoke the alias.
 */
export class SecureFunction extends lambda.FunctionBase {
  public readonly functionName: string;
  public readonly functionArn: string;
  public readonly role?: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly permissionsNode: Node;
  public readonly architecture: lambda.Architecture;
  public readonly tenancyConfig?: lambda.TenancyConfig;
  public readonly resourceArnsForGrantInvoke: string[];
  protected readonly canCreatePermissions = true;

  /** The underlying function. Invoke the alias, not this. */
  public readonly function: lambda.Function;
  /** The version published by this deployment. */
  public readonly version: lambda.IVersion;
  /** The alias every invocation goes through. */
  public readonly alias: lambda.Alias;
  /** The key that encrypts the environment, logs, dead letters and code package. */
  public readonly encryptionKey: kms.IKey;
  /** The function's log group (JSON logs, encrypted, with retention). */
  public readonly logGroup: logs.ILogGroup;
  /** The function's dead-letter queue (encrypted, TLS-only). */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The function's own security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The VPC the function runs in. */
  public readonly vpc: ec2.IVpc;
  /** The function's alarms, sent to the stack's alarm topic (absent with `alarms: false`). */
  public readonly alarms?: FunctionAlarms;
  /** The function's dashboard (with `dashboard: true`). */
  public readonly dashboard?: FunctionDashboard;
  /** The gradual deployment of new versions (with `deploymentConfig`). */
  public readonly deployment?: GradualDeployment;

  private readonly executionRole: ManagedPolicyRole;
  private readonly integrations: FunctionIntegrations;

  constructor(scope: Construct, id: string, props: SecureFunctionProps) {
    super(scope, id);
    setMark(this, SECURE_FUNCTION_MARK);
    // Every synthesis of the app writes the audit report into the cloud assembly.
    SecureFunctionAuditReport.of(this);
    rejectOwnedProps(this, props);
    rejectUnknownProps(this, props);
    checkLimits(this, props);
    checkLogRetention(this, props.logRetention);
    checkRuntime(this, props.runtime);
    checkNewerSettings(this, props);
    this.tenancyConfig = props.tenancyConfig;
    const environment = buildEnvironment(this, props);
    checkFunctionInputs(this, props, environment);

    const kit = new HardeningKit(this, `SecureFunction ${this.node.path}`, props);
    this.integrations = new FunctionIntegrations(kit, this);
    this.encryptionKey = kit.key;
    this.vpc = kit.vpc;
    this.logGroup = kit.logGroup;
    this.deadLetterQueue = kit.deadLetterQueue;
    const subnets = selectPrivateSubnets(kit.label, this.vpc, props.vpcSubnets);
    this.securityGroup = kit.newSecurityGroup(this);
    this.executionRole = new ManagedPolicyRole(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of SecureFunction ${this.node.path}`,
      permissionsBoundary: props.permissionsBoundary,
      sharedPolicies: [kit.baseline.runtimePolicy],
      ...kit.routing,
    });
    this.role = this.executionRole;
    this.grantPrincipal = this.executionRole;

    const functionCode = prepareFunctionCode(this, props, () => kit.baseline.codeSigning);
    const timeout = props.timeout ?? Duration.seconds(DEFAULT_TIMEOUT_SECONDS);
    const reservedConcurrentExecutions = props.reservedConcurrentExecutions ?? DEFAULT_RESERVED_CONCURRENCY;
    this.function = new lambda.Function(this, 'Function', {
      runtime: props.runtime,
      handler: props.handler,
      code: functionCode.code,
      codeSigningConfig: functionCode.config,
      description: props.description,
      functionName: props.functionName,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      layers: props.layers,
      environment,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout,
      reservedConcurrentExecutions,
      role: this.executionRole,
      // Given here so that CDK makes no log group of its own (useCdkManagedLogGroup).
      logGroup: this.logGroup,
      ...newerSettings(props),
    });
    if (props.snapStart) {
      Annotations.of(this.function).acknowledgeWarning('@aws-cdk/aws-lambda:snapStartRequirePublish',
        'SecureFunction publishes a version on every deployment (fn.version behind the alias): SnapStart snapshots each one.');
    }
    placeInVpc(this.function, this.vpc, subnets, [this.securityGroup]);
    placeDualStack(this.function.node.defaultChild as lambda.CfnFunction, props.ipv6AllowedForDualStack);
    kit.attach({
      function: this.function,
      resource: this.function.node.defaultChild as lambda.CfnFunction,
      // The function with its versions (the role is its sibling).
      waitsForPolicies: this.function,
      role: this.executionRole,
      subnets,
      securityGroup: this.securityGroup,
      timeout,
      reservedConcurrentExecutions,
    });
    if (functionCode.versionSalt) {
      // The code points at the signing step's output, the same token whatever the
      // asset: the asset's key and the profile decide when a version is due.
      this.function.invalidateVersionBasedOn(functionCode.versionSalt);
    }

    this.version = this.function.currentVersion;
    memoizeVersionId(this.version);
    this.alias = new lambda.Alias(this, 'Alias', { aliasName: props.aliasName ?? 'live', version: this.version });
    this.functionName = this.alias.functionName;
    this.functionArn = this.alias.functionArn;
    this.resourceArnsForGrantInvoke = [this.alias.functionArn];
    this.architecture = this.function.architecture;
    this.permissionsNode = this.alias.node;
    this._connections = this.function.connections;
    eventDeliveryOf(this).watch(this.alias.functionArn, this.deadLetterQueue, this.encryptionKey);

    const observability = kit.observe(this, this.alias);
    this.alarms = observability.alarms;
    this.dashboard = observability.dashboard;
    this.deployment = observability.deployment;

    for (const secret of Object.values(props.secrets ?? {})) {
      secret.grantRead(this);
    }
    for (const parameter of Object.values(props.parameters ?? {})) {
      this.grantParameterRead(parameter);
    }
  }

  /**
   * A metric of the function, for all its versions (dimension `FunctionName`).
   *
   * @param metricName the AWS/Lambda metric
   * @param props statistic, period and other options
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metric(metricName, props);
  }

  /**
   * The function's concurrent executions (maximum over each period).
   *
   * @param props statistic, period and other options
   */
  public metricConcurrentExecutions(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ConcurrentExecutions', { statistic: 'Maximum', ...props });
  }

  /**
   * Messages waiting in the function's dead-letter queue (maximum over each period).
   *
   * @param props statistic, period and other options
   */
  public metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }

  /**
   * Adds a statement to the execution role's customer-managed policy (never an
   * inline policy), and connects the VPC endpoint of the service it names.
   */
  public addToRolePolicy(statement: iam.PolicyStatement): void {
    this.executionRole.addToPrincipalPolicy(statement);
  }

  /**
   * Adds a resource-based invoke permission on the alias. Service principals
   * always carry `aws:SourceArn` or `aws:SourceAccount` (the stack's account is
   * added when neither is given); everyone (`*`) is refused.
   */
  public addPermission(id: string, permission: lambda.Permission): void {
    this.alias.addPermission(id, securePermission(this, id, permission));
  }

  /**
   * Adds an event source. What it grants the role is for Lambda's poller,
   * which runs outside the function's VPC, so it opens no VPC endpoint; the
   * AWS managed policy CDK's Kafka sources attach is replaced by the cluster's
   * exact permissions.
   */
  public addEventSource(source: lambda.IEventSource): void {
    refuseWithTenancy(this, this.tenancyConfig, 'addEventSource', source.constructor.name);
    this.integrations.addEventSource(this, source);
  }

  /**
   * Adds an event source mapping, with the failure handling that matches its
   * source (see `hardenEventSourceMapping`): streams and Kafka dead-letter into
   * the function's queue with bisect and bounded retries, SQS reports partial
   * batch failures from a queue with a redrive policy and a long enough
   * visibility timeout.
   */
  public addEventSourceMapping(id: string, options: lambda.EventSourceMappingOptions): lambda.EventSourceMapping {
    refuseWithTenancy(this, this.tenancyConfig, 'addEventSourceMapping', `mapping '${id}'`);
    const mapping = super.addEventSourceMapping(id, options);
    this.integrations.hardenMapping(mapping);
    return mapping;
  }

  /**
   * Adds a function URL to the alias. Only AWS_IAM auth and exact CORS origins
   * are accepted.
   */
  public addFunctionUrl(options: lambda.FunctionUrlOptions = {}): lambda.FunctionUrl {
    refuseWithTenancy(this, this.tenancyConfig, 'addFunctionUrl', 'a function URL');
    checkFunctionUrlOptions(this, options);
    return this.alias.addFunctionUrl({ ...options, authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /**
   * Configures asynchronous invocation of the alias. Without an `onFailure`
   * destination, failed events go to the function's dead-letter queue.
   */
  public configureAsyncInvoke(options: lambda.EventInvokeConfigOptions): void {
    this.integrations.configureAsyncInvoke(options, (withFailure) => this.alias.configureAsyncInvoke(withFailure));
  }

  /**
   * Opens egress from the function to `peer` on `port`, by name: the one way to
   * reach anything beyond the VPC endpoints its grants use.
   *
   * @param peer where the function may connect
   * @param port the port it may connect to
   * @param description why, recorded on the security group rule
   */
  public allowEgressTo(peer: ec2.IPeer, port: ec2.Port, description: string): void {
    this.securityGroup.addEgressRule(peer, port, description);
  }

  /**
   * Invoke permissions live on the alias, so grants look for them there.
   * @internal
   */
  protected _functionNode(): Node {
    return this.alias.node;
  }

  /** The version `$LATEST` of the underlying function. */
  public get latestVersion(): lambda.IVersion {
    return this.function.latestVersion;
  }

  /**
   * What `parameter.grantRead` grants, less ssm:DescribeParameters: that action
   * has no resource-level permission, so naming the parameter's ARN with it
   * grants nothing (Service Authorization Reference).
   */
  private grantParameterRead(parameter: ssm.IParameter): void {
    this.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:GetParameters'],
      resources: [parameter.parameterArn],
    }));
    (parameter as { encryptionKey?: kms.IKey }).encryptionKey?.grantDecrypt(this);
  }

}
