import * as path from 'path';
import { CustomResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { invalidInput, show } from '../cfn/errors';
import { deployTimeFunction, xrayTracingStatement } from '../deploy-time/deploy-time-function';
import { ManagedPolicyRole } from '../iam/managed-policy-role';
import { CodeSigningBaseline } from '../signing/code-signing-baseline';

/** The bundled handler (projen's bundle task writes it; the npm package ships it). */
const HANDLER_DIR = path.join(__dirname, '..', '..', 'assets', 'deploy-time', 'handlers', 'prefix-lists', 'index');

/** The custom resource type of one lookup. */
const RESOURCE_TYPE = 'Custom::ManagedPrefixList';

/** The service part of com.amazonaws.<region>.<service>: lowercase letters, digits, dots and hyphens. */
const SERVICE_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;

/**
 * Properties of a PrefixListLookup.
 */
export interface PrefixListLookupProps {
  /** The key for the lookup function's logs, environment and code package. */
  readonly key: kms.IKey;
  /** Where failed asynchronous invocations of the lookup function go. */
  readonly deadLetterQueue: sqs.IQueue;
  /** What happens to the lookup function's log group when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Reserve one execution for the lookup function (rule lambda-reserved-concurrency).
   * An account whose concurrency quota leaves no room to reserve anything turns
   * this off; the rule is then acknowledged with that reason.
   * @default true
   */
  readonly reserveConcurrency?: boolean;
  /**
   * Sign the lookup function's code with the stack's deploy-time signer and
   * enforce the signature with the stack's code-signing config (rule
   * lambda-code-signing).
   * @default - the code is not signed, and the rule is acknowledged with a reason
   */
  readonly codeSigning?: CodeSigningBaseline;
}

/**
 * The ids of AWS-managed prefix lists (`pl-...`), looked up while CloudFormation
 * deploys. A security group of a function in isolated subnets needs HTTPS egress
 * to the prefix list of each gateway endpoint's service (S3, DynamoDB), but
 * CloudFormation does not return a gateway endpoint's prefix list id
 * (aws/aws-cdk#15115) and `ec2.PrefixList.fromLookup` needs a stack with a known
 * environment. One custom resource per service calls
 * `ec2:DescribeManagedPrefixLists` for `com.amazonaws.<region>.<service>` and
 * accepts exactly one list owned by AWS.
 *
 * The function behind them is hardened like the deploy-time signer: its own role
 * with a customer-managed policy, encrypted logs kept a year, JSON logs, active
 * tracing, a dead-letter queue, an encrypted environment and code package, one
 * reserved execution. It runs outside the VPC, acknowledged with a reason: the
 * isolated VPC has no route to EC2, and an EC2 interface endpoint would cost
 * about $14.60 a month in two AZs for this deploy-time lookup.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
 */
export class PrefixListLookup extends Construct {
  /** The function CloudFormation invokes for each lookup. */
  public readonly function: lambda.Function;
  private readonly role: ManagedPolicyRole;
  private readonly lookups = new Map<string, CustomResource>();

  constructor(scope: Construct, id: string, props: PrefixListLookupProps) {
    super(scope, id);
    const reserve = props.reserveConcurrency ?? true;
    const deployTime = deployTimeFunction(this, {
      helperPurpose: 'prefix-lists',
      roleDescription: 'Managed prefix-list lookup: reads the ids of AWS-managed prefix lists at deploy time',
      description: 'Looks up the ids of AWS-managed prefix lists (gateway endpoints) at deploy time',
      code: this.code(props.codeSigning),
      codeSigningConfig: props.codeSigning?.config,
      memorySize: 256,
      timeout: Duration.seconds(30),
      // Lookups are few and short: one execution is never exceeded for long.
      reservedConcurrentExecutions: reserve ? 1 : undefined,
      key: props.key,
      deadLetterQueue: props.deadLetterQueue,
      removalPolicy: props.removalPolicy,
      outsideVpcReason:
        'The prefix-list lookup runs only while CloudFormation deploys, reads one public AWS-managed prefix list id per service and handles no application data; it calls only EC2 DescribeManagedPrefixLists and the CloudFormation response URL, over TLS with IAM auth. The isolated VPC has no route to EC2, and an EC2 interface endpoint would cost about $14.60 a month in two AZs for this one lookup.',
      noAlarmsReason: 'The lookup runs only during deployments; a failed lookup fails the deployment, and CloudFormation shows the prefix list name and the reason.',
      unsignedReason: props.codeSigning ? undefined
        : 'No code-signing baseline was given: the lookup\'s code is a CDK asset staged by the CLI from the library\'s own bundled handler, and it holds no permission beyond listing prefix lists.',
      unreservedReason: reserve ? undefined
        : 'reserveConcurrency: false, chosen for an account whose concurrency quota leaves nothing to reserve: the lookup runs only during deployments, once per service (at most a few times per deployment), for well under a second each.',
    });
    this.function = deployTime.function;
    this.role = deployTime.role;
    this.role.policy.addStatements(
      new iam.PolicyStatement({
        sid: 'DescribeManagedPrefixLists',
        actions: ['ec2:DescribeManagedPrefixLists'],
        resources: ['*'],
      }),
      xrayTracingStatement(),
    );
    Validations.of(this.role.policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeManagedPrefixLists, xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (Service Authorization Reference); the lookup needs the first, active tracing the other two. The lookup may only list prefix lists, which shows their names and ids.',
    });
  }

  /**
   * The id (`pl-...`) of the AWS-managed prefix list of `service` in the stack's
   * region (`com.amazonaws.<region>.<service>`), resolved at deploy time. One
   * lookup per service, created on first use.
   *
   * @param service the service of a gateway endpoint: 's3' or 'dynamodb'
   * @returns a token for the prefix list id
   */
  public prefixListId(service: string): string {
    if (!Token.isUnresolved(service) && !SERVICE_PATTERN.test(service)) {
      throw invalidInput(
        `PrefixListLookup ${this.node.path}: 'service'`,
        'must be the service part of an AWS-managed prefix list name (com.amazonaws.<region>.<service>): lowercase letters, digits, dots and hyphens',
        show(service),
        'pass \'s3\' or \'dynamodb\', the services with gateway endpoints',
      );
    }
    const key = JSON.stringify(Stack.of(this).resolve(service));
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = new CustomResource(this, this.lookupId(service), {
        serviceToken: this.function.functionArn,
        resourceType: RESOURCE_TYPE,
        // Fail the deployment after 5 minutes, not CloudFormation's default hour, if the
        // function never answers (it answers within its 30-s timeout, retries included).
        serviceTimeout: Duration.minutes(5),
        properties: { PrefixListName: `com.amazonaws.${Stack.of(this).region}.${service}` },
      });
      lookup.node.addDependency(this.role.policy);
      this.lookups.set(key, lookup);
    }
    return lookup.getAttString('PrefixListId');
  }

  /** The policy whose statements must exist before a lookup runs. */
  public get policy(): iam.ManagedPolicy {
    return this.role.policy;
  }

  /** A construct id for the lookup of `service`: 's3' gives 'S3', 'dynamodb' 'Dynamodb'. */
  private lookupId(service: string): string {
    if (Token.isUnresolved(service)) {
      return `Lookup${this.lookups.size}`;
    }
    return service.split(/[.-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  }

  /** The handler's code: its asset, or the signed package of it when the stack signs code. */
  private code(codeSigning: CodeSigningBaseline | undefined): lambda.Code {
    if (!codeSigning) {
      return lambda.Code.fromAsset(HANDLER_DIR);
    }
    const source = lambda.Code.fromAsset(HANDLER_DIR).bind(this).s3Location!;
    const signed = codeSigning.signer.sign(source, codeSigning.profile);
    return lambda.Code.fromBucketV2(signed.bucket, signed.objectKey, { objectVersion: signed.objectVersion });
  }
}
