import { RemovalPolicy } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as signer from 'aws-cdk-lib/aws-signer';
import { FunctionAlarmThresholds } from '../observability/function-alarms';

/**
 * The choices of a function's hardening, the same for a SecureFunction and
 * for any function hardened by LambdaHardening.
 */
export interface HardeningOptions {
  /**
   * Concurrent executions reserved for the function, at least 1. Limits the blast
   * radius of a traffic spike and of runaway recursion (HIPAA/NIST LambdaConcurrency).
   * Lambda keeps 100 executions of the account unreserved: a reservation that
   * would leave fewer fails at deploy time. A hardened function that
   * reserves executions of its own keeps them.
   *
   * @default 5
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * The VPC to place the function in, in its isolated or private subnets.
   * A VPC with public subnets only is rejected.
   *
   * @default - the stack's shared isolated VPC (no NAT, no internet gateway)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Which subnets of `vpc` to use. Only private or isolated subnets are accepted.
   *
   * @default - the isolated subnets of the VPC if it has any, otherwise its private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Create the VPC endpoints that the function's permissions need. Turn off when
   * the VPC already has them (a second endpoint with private DNS for the same
   * service fails to deploy) and open egress to them with `allowEgressTo`.
   *
   * @default true
   */
  readonly createVpcEndpoints?: boolean;

  /**
   * IAM prefixes of services the function calls that have no VPC endpoint CDK
   * knows (ec2.InterfaceVpcEndpointAwsService). A grant to such a service is an
   * error unless it is named here: in isolated subnets its calls would time
   * out. Name it only when the function reaches the service another way, and
   * open that path with `allowEgressTo()`.
   *
   * @default - none: a grant to a service without an endpoint is an error
   */
  readonly servicesWithoutEndpoint?: string[];

  /**
   * Customer-managed key for environment variables, the log group, the
   * dead-letter queue and the code package.
   *
   * @default - the stack's SecurityBaseline key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * A permissions boundary for the execution role.
   *
   * @default - no boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * How long the function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to what holds data or evidence (log group, dead-letter queue)
   * when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The name of the alias on the version each deployment publishes. Every
   * invocation of a SecureFunction goes through it. LambdaHardening publishes
   * a version and this alias only when it is given (or with
   * `deploymentConfig`): integrations invoke the function they are given.
   *
   * @default 'live' for a SecureFunction; none for a hardened function
   */
  readonly aliasName?: string;

  /**
   * The code-signing config that checks the function's code, instead of the
   * stack's (which allows the stack's profile and enforces). A config defined in
   * the app is read: one that only warns is reported, and one that does not
   * allow the profile signing the asset is an error.
   *
   * @default - the stack's enforcing config, or the function's own when it trusts more profiles
   */
  readonly codeSigningConfig?: lambda.ICodeSigningConfig;

  /**
   * The AWS Signer profile that signs the function's asset at deploy time.
   *
   * @default - the stack's profile (SecurityBaseline)
   */
  readonly signingProfile?: signer.ISigningProfile;

  /**
   * Profiles whose signatures the function also accepts: the profile of the
   * pipeline stage that signs code the function deploys from S3. The function
   * then gets its own code-signing config. Required for pre-signed S3 code.
   *
   * @default - only the profile that signs the asset
   */
  readonly trustedSigningProfiles?: signer.ISigningProfile[];

  /**
   * What Lambda does with code whose signature is missing, expired, revoked or
   * from an untrusted profile. `WARN` deploys it anyway and only logs it: a
   * named relaxation, reported as the warning `cdk-secure-function:code-signing-warn-only`.
   *
   * @default lambda.UntrustedArtifactOnDeployment.ENFORCE
   */
  readonly untrustedArtifactOnDeployment?: lambda.UntrustedArtifactOnDeployment;

  /**
   * Accept a container image (`lambda.Code.fromEcrImage`, `fromAssetImage`),
   * which Lambda code signing does not cover. Pin the image by digest and sign
   * it in your registry. Reported as the warning `cdk-secure-function:unsigned-container-image`.
   *
   * @default false
   */
  readonly allowUnsignedContainerImage?: boolean;

  /**
   * Create the function's alarms (errors, throttles, p99 duration near the
   * timeout, concurrency near the reservation, dead letters waiting, dead-letter
   * errors, dropped recursive invocations; iterator age of stream sources and
   * destination delivery failures where they apply), sent to the stack's alarm topic. Turning them off is a named relaxation, reported as the
   * warning `cdk-secure-function:alarms-off`.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Thresholds of the function's alarms.
   *
   * @default - 1 error, 1 throttle, p99 at 80% of the timeout, 80% of the reserved concurrency, 1 dead letter
   */
  readonly alarmThresholds?: FunctionAlarmThresholds;

  /**
   * Create a CloudWatch dashboard for the function (about $3 a month beyond the
   * account's first three dashboards).
   *
   * @default false
   */
  readonly dashboard?: boolean;

  /**
   * Record every invocation of the function as a CloudTrail data event, in the
   * stack's trail (its bucket encrypted with the stack key, TLS-only, versioned,
   * access-logged; its logs also in an encrypted log group). Data events cost
   * $0.10 per 100,000.
   *
   * @default false
   */
  readonly recordInvocations?: boolean;

  /**
   * Shift traffic to each new version gradually with CodeDeploy (canary or
   * linear) and roll back automatically when the errors alarm fires.
   *
   * @default - each new version takes all traffic at once
   */
  readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;

  /**
   * Why the code's grants may be used outside the function. By default every
   * statement the role holds for the code carries `ArnEquals
   * lambda:SourceFunctionArn <function ARN>`, so credentials read from the
   * function's environment are refused when replayed elsewhere; what Lambda
   * does outside the environment with the role (network interfaces, pollers,
   * dead letters, destinations, the environment's key) is not bound. Give a
   * reason to leave the code's grants unbound (it shows in the audit report).
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html
   * @default - the code's grants are bound to the function
   */
  readonly unboundCredentialsReason?: string;
}

/**
 * HardeningOptions under its former name.
 *
 * @deprecated use HardeningOptions
 */
export interface FunctionControlOptions extends HardeningOptions {}
