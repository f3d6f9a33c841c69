import { Annotations, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, Node } from 'constructs';
import { lambdaCodePackageStatement } from './baseline/baseline-key';
import { isGatewayService, isKnownEndpointService, EndpointRegistry } from './baseline/endpoint-registry';
import { SecurityBaseline } from './baseline/security-baseline';
import { FunctionAlarms } from './function/function-alarms';
import { FunctionDashboard } from './function/function-dashboard';
import { GradualDeployment } from './function/gradual-deployment';
import { checkFunctionUrlOptions, securePermission } from './function/invoke-policy';
import { SecureFunctionProps } from './function/secure-function-props';
import {
  DEFAULT_MEMORY_MB, DEFAULT_RESERVED_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS,
  buildEnvironment, checkLimits, checkRuntime, rejectOwnedProps, selectPrivateSubnets,
} from './function/validate-props';
import { invalidInput } from './private/errors';
import { grantOwnParts, renderHardenedSettings } from './private/function-hardening';
import { ManagedPolicyRole } from './private/managed-policy-role';
import { memoizeVersionId } from './private/version-id-memo';
import { SECURE_FUNCTION_MARK } from './report/audit-data';
import { SecureFunctionAuditReport } from './report/secure-function-audit-report';
import { prepareFunctionCode } from './signing/function-code';

/** Lambda's limit of security groups per function, less the function's own. */
const MAX_ENDPOINT_CLIENT_GROUPS = 4;

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
  private readonly endpoints?: EndpointRegistry;
  private readonly endpointServices = new Set<string>();
  private readonly endpointClientGroups: ec2.ISecurityGroup[] = [];

  constructor(scope: Construct, id: string, props: SecureFunctionProps) {
    super(scope, id);
    Object.defineProperty(this, SECURE_FUNCTION_MARK, { value: true });
    // Every synthesis of the app writes the audit report into the cloud assembly.
    SecureFunctionAuditReport.of(this);
    rejectOwnedProps(this, props);
    checkLimits(this, props);
    checkRuntime(this, props.runtime);
    const environment = buildEnvironment(this, props);

    const baseline = SecurityBaseline.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? baseline.key;
    this.vpc = props.vpc ?? baseline.network.vpc;
    const subnets = selectPrivateSubnets(this, this.vpc, props.vpcSubnets);
    if (props.createVpcEndpoints ?? true) {
      this.endpoints = baseline.endpoints(this.vpc, subnets);
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      allowAllOutbound: false,
      description: `SecureFunction ${this.node.path}: no egress except to the endpoints it uses`,
    });
    this.executionRole = new ManagedPolicyRole(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of SecureFunction ${this.node.path}`,
      permissionsBoundary: props.permissionsBoundary,
      sharedPolicies: [baseline.runtimePolicy],
      onGrant: (statement) => this.connectEndpointsFor(statement),
    });
    this.role = this.executionRole;
    this.grantPrincipal = this.executionRole;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: baseline.terminalDeadLetterQueue, maxReceiveCount: 5 },
      removalPolicy,
    });

    const functionCode = prepareFunctionCode(this, props, () => baseline.codeSigning);
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
      environmentEncryption: this.encryptionKey,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(DEFAULT_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? DEFAULT_RESERVED_CONCURRENCY,
      vpc: this.vpc,
      vpcSubnets: subnets,
      securityGroups: [this.securityGroup],
      role: this.executionRole,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      recursiveLoop: lambda.RecursiveLoop.TERMINATE,
    });
    this.configureOwnedSettings();
    // The function's own group, then the client group of each endpoint service its grants use.
    (this.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('VpcConfig.SecurityGroupIds', Lazy.list({
      produce: () => [this.securityGroup, ...this.endpointClientGroups].map((group) => group.securityGroupId),
    }));
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

    const observability = this.observe(props, baseline);
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
   * Adds a function URL to the alias. Only AWS_IAM auth and exact CORS origins
   * are accepted.
   */
  public addFunctionUrl(options: lambda.FunctionUrlOptions = {}): lambda.FunctionUrl {
    checkFunctionUrlOptions(this, options);
    return this.alias.addFunctionUrl({ ...options, authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /**
   * Configures asynchronous invocation of the alias.
   */
  public configureAsyncInvoke(options: lambda.EventInvokeConfigOptions): void {
    this.alias.configureAsyncInvoke(options);
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
   * What SecureFunction sets that lambda.Function would otherwise put into
   * inline policies: tracing, the dead-letter queue, log delivery, the key for the
   * code package. Their permissions go into the role's customer-managed policy.
   */
  private configureOwnedSettings(): void {
    const parts = { logGroup: this.logGroup, deadLetterQueue: this.deadLetterQueue, key: this.encryptionKey };
    if (renderHardenedSettings(this.function, parts)) {
      const { statementAdded } = this.encryptionKey.addToResourcePolicy(lambdaCodePackageStatement(Stack.of(this)), true);
      if (!statementAdded) {
        Annotations.of(this).addWarningV2('cdk-secure-function:code-key-policy',
          'encryptionKey is imported, so its key policy cannot be changed here: it must let lambda.amazonaws.com use kms:GenerateDataKey and kms:Decrypt with kms:EncryptionContext:aws:lambda:FunctionArn like arn:<partition>:lambda:<region>:<account>:function:*, or the code package cannot be encrypted and the deployment fails.');
      }
    }
    grantOwnParts(this.executionRole, parts);
  }

  /**
   * Alarms to the stack's topic, the stack's Config rules, and the opt-ins:
   * a dashboard, invocation data events, gradual deployment.
   */
  private observe(props: SecureFunctionProps, baseline: SecurityBaseline) {
    const monitoring = baseline.monitoring;
    monitoring.watch(this.function, this);
    let alarms: FunctionAlarms | undefined;
    if (props.alarms ?? true) {
      alarms = new FunctionAlarms(this, 'Alarms', {
        function: this.function,
        deadLetterQueue: this.deadLetterQueue,
        timeout: props.timeout ?? Duration.seconds(DEFAULT_TIMEOUT_SECONDS),
        reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? DEFAULT_RESERVED_CONCURRENCY,
        topic: monitoring.topic,
        thresholds: props.alarmThresholds,
      });
    } else {
      Annotations.of(this).addWarningV2('cdk-secure-function:alarms-off',
        'alarms: false: nothing alarms on errors, throttles, duration, concurrency or dead letters of this function.');
    }
    const dashboard = props.dashboard
      ? new FunctionDashboard(this, 'Dashboard', { function: this.function, deadLetterQueue: this.deadLetterQueue, alarms: alarms?.all ?? [] })
      : undefined;
    if (props.recordInvocations) {
      baseline.invocationTrail.record(this.function);
    }
    let deployment: GradualDeployment | undefined;
    if (props.deploymentConfig) {
      if (!alarms) {
        throw invalidInput(`SecureFunction ${this.node.path}: 'deploymentConfig'`, 'needs the errors alarm to roll back on', 'alarms: false', 'keep alarms on (the default)');
      }
      deployment = new GradualDeployment(this, 'Deployment', { alias: this.alias, deploymentConfig: props.deploymentConfig, alarms: [alarms.errors] });
    }
    return { alarms, dashboard, deployment };
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

  /**
   * Connects the function to the VPC endpoint of each AWS service a new grant
   * lets it call, creating the endpoint the first time any function in the stack
   * needs it. KMS use through another service (kms:ViaService) needs no endpoint.
   */
  private connectEndpointsFor(statement: iam.PolicyStatement): void {
    if (!this.endpoints) {
      return;
    }
    const json = Stack.of(this).resolve(statement.toStatementJson()) as { Effect?: string; Condition?: Record<string, Record<string, unknown>> };
    if (json.Effect === 'Deny') {
      return;
    }
    const viaService = Object.values(json.Condition ?? {}).some((block) => 'kms:ViaService' in block);
    for (const action of statement.actions) {
      const prefix = action.split(':')[0].toLowerCase();
      if ((prefix === 'kms' && viaService) || this.endpointServices.has(prefix)) {
        continue;
      }
      this.endpointServices.add(prefix);
      if (!isKnownEndpointService(prefix)) {
        Annotations.of(this).addWarningV2('cdk-secure-function:no-endpoint',
          `The function may call '${prefix}', for which no VPC endpoint is known; open egress explicitly with allowEgressTo() if it must reach it.`);
      } else if (isGatewayService(prefix)) {
        this.endpoints.gatewayEndpoint(prefix);
        Annotations.of(this).addWarningV2('cdk-secure-function:gateway-egress',
          `A '${prefix}' gateway endpoint routes the VPC's traffic to ${prefix}; open HTTPS egress to its prefix list with allowEgressTo(ec2.Peer.prefixList(id), ec2.Port.tcp(443), ...).`);
      } else if (this.endpointClientGroups.length < MAX_ENDPOINT_CLIENT_GROUPS) {
        // Join the service's client group: no rule per function.
        const clients = this.endpoints.clientSecurityGroup(prefix)!;
        this.endpointClientGroups.push(clients);
        this.function.connections.addSecurityGroup(clients);
      } else {
        // Lambda takes five security groups: past that, a rule of the function's own.
        const endpoint = this.endpoints.interfaceEndpoint(prefix)!;
        endpoint.connections.allowFrom(this.securityGroup, ec2.Port.tcp(443), `HTTPS from ${this.node.path}`);
      }
    }
  }
}
