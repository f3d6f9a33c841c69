import { createHash } from 'crypto';
import * as path from 'path';
import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkSignerConcurrency } from './signer-concurrency';
import { deployTimeFunction, xrayTracingStatement } from '../deploy-time/deploy-time-function';
import { ManagedPolicyRole } from '../iam/managed-policy-role';
import { wildcardResourceAckId } from '../iam/wildcard-ack-ids';

/** The bundled handler (projen's bundle task writes it; the npm package ships it). */
const HANDLER_DIR = path.join(__dirname, '..', '..', 'assets', 'deploy-time', 'handlers', 'signer', 'index');

const SIGNED_CODE_PREFIX = 'signed-code/';
const MAX_WAIT_SECONDS = 240;
const DEFAULT_CONCURRENCY = 2;

/** A staged object the signer may read and sign. */
export interface StagedObject {
  /** The bucket the asset was staged in (the CDK bootstrap bucket). */
  readonly bucketName: string;
  /** The asset's object key. */
  readonly objectKey: string;
}

/** A signed package: where the signing step wrote it. */
export interface SignedPackage {
  /** The bucket of the signed object (the staging bucket). */
  readonly bucket: s3.IBucket;
  /** Its key, under the signed-code prefix. */
  readonly objectKey: string;
  /** Its S3 version: the function is pinned to exactly what was signed. */
  readonly objectVersion: string;
  /** The signing step. */
  readonly step: CustomResource;
}

/**
 * Properties of a DeployTimeSigner.
 */
export interface DeployTimeSignerProps {
  /** The profile that signs (the signer may start jobs with exactly this profile version). */
  readonly profile: signer.ISigningProfile;
  /** The key for the signer's logs, environment and code package. */
  readonly key: kms.IKey;
  /** Where failed asynchronous invocations go. */
  readonly deadLetterQueue: sqs.IQueue;
  /** What happens to the log group when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * How many signing steps run at once: the steps form this many chains (each
   * waits for the one this many places before it), so that no invocation is
   * ever throttled, however many packages one deployment signs.
   * @default 2
   */
  readonly concurrency?: number;
  /**
   * Reserve `concurrency` executions for the signer. An account whose
   * concurrency quota leaves no room to reserve anything (new accounts may have
   * a quota of 10) turns this off; the chains still bound
   * how many steps run at once.
   * @default true
   */
  readonly reserveConcurrency?: boolean;
}

/**
 * The Lambda function behind every signing step of a stack: it starts an AWS
 * Signer job on a staged asset version, waits for it (bounded) and returns the
 * signed object. One per stack, hardened like a SecureFunction: its own role with
 * a customer-managed policy that names exactly the staged objects and the profile
 * version, encrypted logs with retention, active tracing, reserved concurrency,
 * a dead-letter queue.
 *
 * Two things a SecureFunction has do not apply, and are acknowledged with a reason:
 * it runs outside the VPC (placing it in the VPC would need a Signer interface
 * endpoint, about $14.60 a month in two AZs, for a deploy-time step), and it is
 * not itself signed (it is what signs).
 */
export class DeployTimeSigner extends Construct {
  /** Where signed packages are written, next to the staged assets they come from. */
  public static readonly SIGNED_CODE_PREFIX = SIGNED_CODE_PREFIX;

  /** How long one signing job may take, in seconds (the function's timeout leaves room to answer CloudFormation). */
  public static readonly MAX_WAIT_SECONDS = MAX_WAIT_SECONDS;

  /** The function CloudFormation invokes for each signing step. */
  public readonly function: lambda.Function;
  private readonly role: ManagedPolicyRole;
  private readonly authorized = new Set<string>();
  private readonly packages = new Map<string, SignedPackage>();
  private readonly steps: CustomResource[] = [];
  private readonly concurrency: number;
  private canWriteSignedCode = false;

  constructor(scope: Construct, id: string, props: DeployTimeSignerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    checkSignerConcurrency(`DeployTimeSigner ${this.node.path}: 'concurrency'`, props.concurrency);
    this.concurrency = props.concurrency ?? DEFAULT_CONCURRENCY;
    const reserve = props.reserveConcurrency ?? true;
    const deployTime = deployTimeFunction(this, {
      helperPurpose: 'signer',
      roleDescription: 'Deploy-time code signer: starts AWS Signer jobs on staged SecureFunction assets',
      description: 'Signs SecureFunction code packages with AWS Signer at deploy time',
      code: lambda.Code.fromAsset(HANDLER_DIR),
      memorySize: 256,
      timeout: Duration.seconds(MAX_WAIT_SECONDS + 60),
      // The signing steps run in `concurrency` chains, so this many executions are never exceeded.
      reservedConcurrentExecutions: reserve ? this.concurrency : undefined,
      key: props.key,
      deadLetterQueue: props.deadLetterQueue,
      removalPolicy: props.removalPolicy,
      outsideVpcReason:
        'The deploy-time signer runs only while CloudFormation deploys, handles no application data and calls only AWS Signer, S3 and the CloudFormation response URL, over TLS with IAM auth. Placing it in the isolated VPC would need a Signer interface endpoint (about $14.60 a month in two AZs) for that one step.',
      noAlarmsReason: 'The signer runs only during deployments; a failed signing step fails the deployment, and CloudFormation shows the job id and Signer\'s reason.',
      unsignedReason: 'The deploy-time signer is what signs: its own code is a CDK asset staged by the CLI, and nothing could sign it before it runs.',
      unreservedReason: reserve ? undefined
        : 'SecurityBaseline signerReservesConcurrency: false, chosen for an account whose concurrency quota leaves nothing to reserve: the signer runs only during deployments, and its signing steps run in chains of signerConcurrency, so it never takes more executions than that.',
    });
    this.function = deployTime.function;
    this.role = deployTime.role;

    const signingJobs = `arn:${stack.partition}:signer:${stack.region}:${stack.account}:/signing-jobs/*`;
    this.authorizeProfile(props.profile);
    this.role.policy.addStatements(
      new iam.PolicyStatement({
        sid: 'DescribeSigningJobs',
        actions: ['signer:DescribeSigningJob'],
        resources: [signingJobs],
      }),
      xrayTracingStatement(),
    );
    Validations.of(this.role.policy).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (Service Authorization Reference); active tracing needs them.',
      },
      {
        id: wildcardResourceAckId(stack, signingJobs),
        reason: 'AWS Signer generates the job id when a job starts, and DescribeSigningJob is authorized only on signing-job ARNs: the signer may describe jobs of this account and region, which shows job metadata and nothing else.',
      },
    );
  }

  /** The token CloudFormation custom resources use to invoke the signer. */
  public get serviceToken(): string {
    return this.function.functionArn;
  }

  /** The policy whose statements must exist before a signing step runs. */
  public get policy(): iam.ManagedPolicy {
    return this.role.policy;
  }

  /**
   * The signed package of the staged `source` signed with `profile`: one signing
   * step per distinct package and profile in the stack, shared by every function
   * that deploys the same code (one bundle with several handlers signs once). The
   * step runs again whenever the asset (its key is its hash) or the profile
   * changes.
   */
  public sign(source: StagedObject, profile: signer.ISigningProfile): SignedPackage {
    const stack = Stack.of(this);
    const identity = JSON.stringify(stack.resolve([
      source.bucketName, source.objectKey, profile.signingProfileArn, profile.signingProfileVersionArn,
    ]));
    const existing = this.packages.get(identity);
    if (existing) {
      return existing;
    }
    this.authorizeProfile(profile);
    this.authorize(source);
    const scope = new Construct(this, `SignedCode${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`);
    const step = new CustomResource(scope, 'Resource', {
      serviceToken: this.serviceToken,
      resourceType: 'Custom::SignedLambdaCode',
      // Fail the deployment after 15 minutes, not CloudFormation's default hour,
      // if the signer never answers (it answers within its 5-minute timeout).
      serviceTimeout: Duration.minutes(15),
      properties: {
        SourceBucket: source.bucketName,
        SourceKey: source.objectKey,
        DestinationBucket: source.bucketName,
        DestinationPrefix: SIGNED_CODE_PREFIX,
        ProfileName: profile.signingProfileName,
        ProfileVersionArn: profile.signingProfileVersionArn,
        MaxWaitSeconds: String(MAX_WAIT_SECONDS),
      },
    });
    step.node.addDependency(this.policy);
    // A chain per execution the signer may use: CloudFormation starts a step only once
    // the one `concurrency` places before it is done, so no invocation waits on Lambda's
    // retry backoff after a throttle, and each step's timeout runs only while it works.
    const ahead = this.steps[this.steps.length - this.concurrency];
    if (ahead) {
      step.node.addDependency(ahead);
    }
    this.steps.push(step);
    const signed: SignedPackage = {
      bucket: s3.Bucket.fromBucketName(scope, 'Bucket', step.getAttString('Bucket')),
      objectKey: step.getAttString('Key'),
      objectVersion: step.getAttString('Version'),
      step,
    };
    this.packages.set(identity, signed);
    return signed;
  }

  /**
   * Lets the signer start jobs with exactly this version of `profile`.
   */
  public authorizeProfile(profile: signer.ISigningProfile): void {
    const key = JSON.stringify(Stack.of(this).resolve(profile.signingProfileArn));
    if (this.authorized.has(key)) {
      return;
    }
    this.authorized.add(key);
    this.role.policy.addStatements(new iam.PolicyStatement({
      actions: ['signer:StartSigningJob'],
      resources: [profile.signingProfileArn],
      conditions: { StringEquals: { 'signer:ProfileVersion': profile.signingProfileVersion } },
    }));
  }

  /**
   * Lets the signer read exactly `source` (and its versions) and write signed
   * packages next to it under the signed-code prefix.
   */
  public authorize(source: StagedObject): void {
    const stack = Stack.of(this);
    const bucketArn = `arn:${stack.partition}:s3:::${source.bucketName}`;
    const key = JSON.stringify(stack.resolve([source.bucketName, source.objectKey]));
    if (this.authorized.has(key)) {
      return;
    }
    const first = !this.canWriteSignedCode;
    this.authorized.add(key);
    this.canWriteSignedCode = true;
    this.role.policy.addStatements(new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [`${bucketArn}/${source.objectKey}`],
    }));
    if (first) {
      const signedCode = `${bucketArn}/${SIGNED_CODE_PREFIX}*`;
      Validations.of(this.role.policy).acknowledge({
        id: wildcardResourceAckId(stack, signedCode),
        reason: `AWS Signer names each signed package after its job id, which exists only once the job starts: the signer may write, and read back the version of, objects under ${SIGNED_CODE_PREFIX} of the staging bucket only.`,
      });
      this.role.policy.addStatements(
        new iam.PolicyStatement({
          sid: 'WriteSignedCode',
          actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
          resources: [signedCode],
        }),
        new iam.PolicyStatement({
          sid: 'ListStagingBucket',
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
        }),
      );
    }
  }
}
