import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { BaselineKey } from './baseline-key';
import { GuardSuppressions } from '../aspects/guard-suppressions';
import { skipScannerChecks } from '../cfn/scanner-skips';
import { EndpointRegistry } from '../network/endpoint-registry';
import { IsolatedNetwork } from '../network/isolated-network';
import { PrefixListLookup } from '../network/prefix-list-lookup';
import { InvocationTrail } from '../observability/invocation-trail';
import { CONFIG_RULES_OFF } from '../observability/lambda-config-rules';
import { MonitoringBaseline } from '../observability/monitoring-baseline';
import { configRules } from '../rules/lambda/lambda-config-rules';
import { CodeSigningBaseline } from '../signing/code-signing-baseline';
import { checkSignerConcurrency } from '../signing/signer-concurrency';

const BASELINE_SYMBOL = Symbol.for('cdk-secure-function.SecurityBaseline');

/**
 * Properties of a SecurityBaseline.
 */
export interface SecurityBaselineProps {
  /**
   * The customer-managed key for environment variables, logs, dead letters and
   * code packages of every SecureFunction in the stack that does not bring its own.
   *
   * @default - one key per stack, rotation on, least-privilege key policy
   */
  readonly key?: kms.IKey;

  /**
   * Availability Zones of the isolated VPC (when a function brings no VPC).
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * What happens to the key, flow logs and terminal dead-letter queue when they
   * leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long VPC flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * The AWS Signer profile that signs every SecureFunction's asset at deploy
   * time, instead of one created here. It must be for the AWS Lambda platform.
   *
   * @default - a profile for AWSLambda-SHA384-ECDSA, created with the first function
   */
  readonly signingProfile?: signer.ISigningProfile;

  /**
   * How long a signature made by the created profile stays valid. Lambda refuses
   * to deploy a package whose signature has expired, so code that has not
   * changed for longer must be signed again (rotate the profile, see
   * `signingProfileName`).
   *
   * @default Duration.days(365)
   */
  readonly signatureValidity?: Duration;

  /**
   * The name of the created signing profile. Changing it replaces the profile:
   * the config then allows only the new one, and every function's asset is
   * signed again and published as a new version on that deployment.
   *
   * @default - a name CloudFormation generates
   */
  readonly signingProfileName?: string;

  /**
   * How many signing steps of a deployment run at once; the deploy-time signer
   * reserves that many executions. Steps form this many chains in the
   * template, so a deployment that signs 30 or 300 packages is never throttled
   * and each step's 15-minute timeout covers only its own job.
   *
   * @default 2
   */
  readonly signerConcurrency?: number;

  /**
   * Whether the deploy-time signer reserves `signerConcurrency` executions.
   *
   * Account prerequisite: Lambda keeps part of the account's concurrency
   * unreserved, so in an account with the quota of 10 that new accounts may
   * start with, any reservation fails with "Specified
   * ReservedConcurrentExecutions for function decreases account's
   * UnreservedConcurrentExecution below its minimum value of [10]". Ask for a
   * higher quota (Service Quotas, "Concurrent executions"); where that cannot
   * wait, `false` runs the signer on unreserved concurrency, acknowledged on the
   * signer with that reason (its chains still bound it to `signerConcurrency`).
   * SecureFunctions reserve their own `reservedConcurrentExecutions` either way.
   *
   * @default true
   */
  readonly signerReservesConcurrency?: boolean;

  /**
   * Reach S3 and DynamoDB through interface endpoints (PrivateLink, about
   * $7.30 per AZ a month each) instead of the free gateway endpoints: for a
   * VPC whose S3 or DynamoDB traffic must pass a security group rule to an
   * endpoint (as every other service's does), or be reachable from on
   * premises. Functions then join the endpoint's client group, and no
   * prefix-list lookup is deployed.
   *
   * @default false - gateway endpoints, with HTTPS to the service's prefix list
   */
  readonly interfaceEndpointsForS3AndDynamoDb?: boolean;

  /**
   * The SNS topic that receives every alarm and compliance change of the
   * stack's functions, instead of one created here.
   *
   * @default - a topic encrypted with the stack key, TLS-only
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Deploy AWS Config managed rules for Lambda (public access, VPC, concurrency,
   * dead-letter queue, multi-AZ, X-Ray), scoped to the stack's SecureFunctions
   * by a tag, and route their NON_COMPLIANT results to the alarm topic.
   *
   * Account prerequisite: a configuration recorder must run in the account and
   * region (usually set up centrally by Control Tower or an organization);
   * without one CloudFormation fails to create the rules with
   * NoAvailableConfigurationRecorderException. Each rule is created only in the
   * regions where AWS Config offers it. Off, the catalog rule
   * `lambda-config-rules` is acknowledged on each SecureFunction with that reason.
   *
   * @default false
   */
  readonly configRules?: boolean;
}

/**
 * What the SecureFunctions of one stack share, created once and only when a
 * function needs it: the customer-managed key, the isolated VPC, the VPC
 * endpoints, the runtime policy (X-Ray and network interfaces) and the terminal
 * dead-letter queue. Sharing is what keeps cost and resource count flat as
 * functions are added.
 *
 * `SecurityBaseline.of(scope)` finds the stack's baseline or creates it; create
 * one yourself first (any id) to pass your own key or settings.
 */
export class SecurityBaseline extends Construct {
  /**
   * The baseline of the stack that holds `scope`, created with defaults if the
   * stack has none yet.
   */
  public static of(scope: IConstruct): SecurityBaseline {
    const stack = Stack.of(scope);
    const existing = stack.node.children.find(SecurityBaseline.isSecurityBaseline);
    return existing ?? new SecurityBaseline(stack, 'SecureFunctionBaseline');
  }

  /**
   * Whether `x` is a SecurityBaseline (works across copies of this library).
   */
  public static isSecurityBaseline(x: unknown): x is SecurityBaseline {
    return typeof x === 'object' && x !== null && BASELINE_SYMBOL in x;
  }

  private readonly props: SecurityBaselineProps;
  private _key?: kms.IKey;
  private _network?: IsolatedNetwork;
  private _runtimePolicy?: iam.ManagedPolicy;
  private _terminalQueue?: sqs.Queue;
  private _prefixLists?: PrefixListLookup;
  private _codeSigning?: CodeSigningBaseline;
  private _monitoring?: MonitoringBaseline;
  private _trail?: InvocationTrail;
  private readonly registries = new Map<string, EndpointRegistry>();

  constructor(scope: Construct, id: string, props: SecurityBaselineProps = {}) {
    super(scope, id);
    if (Stack.of(this).node.children.some((c) => c !== this && SecurityBaseline.isSecurityBaseline(c))) {
      throw new Error(`Stack ${Stack.of(this).node.path} already has a SecurityBaseline; create at most one per stack, before any SecureFunction.`);
    }
    Object.defineProperty(this, BASELINE_SYMBOL, { value: true });
    checkSignerConcurrency(`SecurityBaseline ${this.node.path}: 'signerConcurrency'`, props.signerConcurrency);
    this.props = props;
    this._key = props.key;
    if (props.configRules !== true) {
      // The library's own functions here (the signer) are judged like any other.
      Validations.of(this).acknowledge({ id: configRules.id, reason: CONFIG_RULES_OFF });
    }
    // Acknowledged exceptions travel with the template, for the Guard rules file.
    GuardSuppressions.applyTo(Stack.of(this));
  }

  /** The stack's customer-managed key. */
  public get key(): kms.IKey {
    if (!this._key) {
      this._key = new BaselineKey(this, 'Key', { removalPolicy: this.removalPolicy });
    }
    return this._key;
  }

  /** The stack's isolated VPC, created the first time a function needs it. */
  public get network(): IsolatedNetwork {
    if (!this._network) {
      this._network = new IsolatedNetwork(this, 'Network', {
        key: this.key,
        maxAzs: this.props.maxAzs,
        flowLogRetention: this.props.flowLogRetention,
        removalPolicy: this.removalPolicy,
      });
    }
    return this._network;
  }

  /** Whether S3 and DynamoDB are reached through interface endpoints (interfaceEndpointsForS3AndDynamoDb). */
  public get s3AndDynamoDbThroughInterfaceEndpoints(): boolean {
    return this.props.interfaceEndpointsForS3AndDynamoDb ?? false;
  }

  /** The endpoints of `vpc` in this stack. */
  public endpoints(vpc: ec2.IVpc, subnets: ec2.SubnetSelection): EndpointRegistry {
    const key = vpc.node.addr;
    let registry = this.registries.get(key);
    if (!registry) {
      const id = this._network?.vpc === vpc ? 'Endpoints' : `Endpoints${this.registries.size}`;
      registry = new EndpointRegistry(this, id, { vpc, subnets });
      this.registries.set(key, registry);
    }
    return registry;
  }

  /**
   * The customer-managed policy every function role shares for the two things
   * AWS offers no resource-level permission for: sending X-Ray traces and
   * managing the network interfaces of VPC placement.
   */
  public get runtimePolicy(): iam.IManagedPolicy {
    if (!this._runtimePolicy) {
      this._runtimePolicy = new iam.ManagedPolicy(this, 'FunctionRuntimePolicy', {
        description: 'X-Ray tracing and VPC network interfaces for SecureFunctions (no resource-level permissions exist for these actions)',
        statements: [
          new iam.PolicyStatement({
            sid: 'XRayTracing',
            actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'VpcNetworkInterfaces',
            actions: [
              'ec2:AssignPrivateIpAddresses',
              'ec2:CreateNetworkInterface',
              'ec2:DeleteNetworkInterface',
              'ec2:DescribeNetworkInterfaces',
              'ec2:DescribeSubnets',
              'ec2:UnassignPrivateIpAddresses',
            ],
            resources: ['*'],
          }),
        ],
      });
      Validations.of(this._runtimePolicy).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'xray:PutTraceSegments, xray:PutTelemetryRecords, ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource-level permissions (Service Authorization Reference); Lambda needs them for active tracing and VPC placement.',
      });
      skipScannerChecks(this._runtimePolicy, {
        checkov: [{
          id: 'CKV_AWS_111',
          reason: 'Lambda creates, assigns and deletes the network interfaces of functions in a VPC with their execution role, in subnets and security groups chosen at deployment; these ec2 actions are granted on * as AWS\'s AWSLambdaVPCAccessExecutionRole grants them, and the X-Ray actions support no resource-level permissions.',
        }],
      });
    }
    return this._runtimePolicy;
  }

  /**
   * The queue that receives messages no consumer could process from any
   * function's dead-letter queue. It is the end of the chain: a redrive policy
   * on it would need yet another queue.
   */
  public get terminalDeadLetterQueue(): sqs.IQueue {
    if (!this._terminalQueue) {
      this._terminalQueue = new sqs.Queue(this, 'TerminalDeadLetterQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: this.removalPolicy,
        // Only queues of this account and region can redrive here (an SQS rule);
        // naming each function queue would make the two depend on each other.
        redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
      });
      Validations.of(this._terminalQueue).acknowledge({
        id: 'Serverless::Serverless-SQSRedrivePolicy',
        reason:
          'This is the terminal dead-letter queue of the stack: function dead-letter queues redrive into it, and a redrive policy on it would need another queue without end.',
      });
    }
    return this._terminalQueue;
  }

  /**
   * The ids of the AWS-managed prefix lists of gateway services (S3,
   * DynamoDB), looked up at deploy time: CloudFormation does not return them,
   * and a function's security group needs one to open HTTPS to the service's
   * gateway endpoint. Created on first use, hardened and signed like the signer.
   */
  public get prefixLists(): PrefixListLookup {
    if (!this._prefixLists) {
      this._prefixLists = new PrefixListLookup(this, 'PrefixLists', {
        key: this.key,
        deadLetterQueue: this.terminalDeadLetterQueue,
        removalPolicy: this.removalPolicy,
        reserveConcurrency: this.props.signerReservesConcurrency,
        codeSigning: this.codeSigning,
      });
    }
    return this._prefixLists;
  }

  /**
   * The stack's code integrity: the signing profile, the enforcing code-signing
   * config and the deploy-time signer.
   */
  public get codeSigning(): CodeSigningBaseline {
    if (!this._codeSigning) {
      this._codeSigning = new CodeSigningBaseline(this, 'CodeSigning', {
        key: this.key,
        deadLetterQueue: this.terminalDeadLetterQueue,
        removalPolicy: this.removalPolicy,
        profile: this.props.signingProfile,
        signatureValidity: this.props.signatureValidity,
        profileName: this.props.signingProfileName,
        signerConcurrency: this.props.signerConcurrency,
        signerReservesConcurrency: this.props.signerReservesConcurrency,
      });
    }
    return this._codeSigning;
  }

  /**
   * The stack's alarm topic, AWS Config rules and their compliance routing.
   */
  public get monitoring(): MonitoringBaseline {
    if (!this._monitoring) {
      this._monitoring = new MonitoringBaseline(this, 'Monitoring', {
        key: this.key,
        deadLetterQueue: this.terminalDeadLetterQueue,
        topic: this.props.alarmTopic,
        configRules: this.props.configRules,
      });
    }
    return this._monitoring;
  }

  /**
   * The stack's trail of invocation data events, created the first time a
   * function asks to record its invocations.
   */
  public get invocationTrail(): InvocationTrail {
    if (!this._trail) {
      this._trail = new InvocationTrail(this, 'InvocationTrail', { key: this.key, removalPolicy: this.removalPolicy });
    }
    return this._trail;
  }

  private get removalPolicy(): RemovalPolicy {
    return this.props.removalPolicy ?? RemovalPolicy.RETAIN;
  }
}

