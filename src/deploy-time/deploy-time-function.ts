import { CfnResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LIBRARY_FUNCTION_MARK, setMark } from '../cfn/construct-marks';
import { FUNCTION_LOG_RETENTION, grantOwnParts, renderHardenedSettings } from '../cfn/function-settings';
import { nameHelperFunction } from '../cfn/helper-functions';
import { skipScannerChecks } from '../cfn/scanner-skips';
import { ManagedPolicyRole } from '../iam/managed-policy-role';
import { newestInFamily } from '../rules/data/runtimes';
import { alarms } from '../rules/lambda/lambda-alarms';
import { codeSigning } from '../rules/lambda/lambda-code-signing';
import { insideVpc } from '../rules/lambda/lambda-inside-vpc';
import { reservedConcurrency } from '../rules/lambda/lambda-reserved-concurrency';

/** What one of the library's deploy-time functions is, and why it differs from a SecureFunction. */
export interface DeployTimeFunctionOptions {
  /** What the role is for. */
  readonly roleDescription: string;
  /** What the function does. */
  readonly description: string;
  /** Its code. */
  readonly code: lambda.Code;
  /** The code-signing config that checks it, when its code is signed. */
  readonly codeSigningConfig?: lambda.ICodeSigningConfig;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Executions reserved, or undefined where the account leaves nothing to reserve. */
  readonly reservedConcurrentExecutions?: number;
  /** The key of its logs, environment and code package. */
  readonly key: kms.IKey;
  /** Where its failed asynchronous invocations go. */
  readonly deadLetterQueue: sqs.IQueue;
  /** What happens to its log group when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
  /** Why it runs outside the VPC. */
  readonly outsideVpcReason: string;
  /** Why it has no alarms. */
  readonly noAlarmsReason: string;
  /** Why its code is not signed, when it is not. */
  readonly unsignedReason?: string;
  /** Why it reserves no concurrency, when it does not. */
  readonly unreservedReason?: string;
  /** Its purpose in its helper name (`securefn-helper-<purpose>-...`), which the organisation guardrails know. */
  readonly helperPurpose: string;
}

/** A deploy-time function of the library and its role. */
export interface DeployTimeFunction {
  readonly function: lambda.Function;
  readonly role: ManagedPolicyRole;
}

/**
 * One of the library's own functions that CloudFormation invokes while it
 * deploys (the signer, the prefix-list lookup), hardened as a SecureFunction
 * is: its own role with a customer-managed policy, encrypted logs kept a year,
 * JSON logs, active tracing, a dead-letter queue, an encrypted environment and
 * code package, reserved concurrency. What does not apply is acknowledged on it
 * with the reasons given: it runs outside the VPC, raises no alarms (a failure
 * fails the deployment), and, where named, is unsigned or unreserved.
 *
 * Its children keep the ids 'ServiceRole', 'LogGroup' and 'Function' in `scope`.
 */
export function deployTimeFunction(scope: Construct, options: DeployTimeFunctionOptions): DeployTimeFunction {
  const role = new ManagedPolicyRole(scope, 'ServiceRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: options.roleDescription,
  });
  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    encryptionKey: options.key,
    retention: FUNCTION_LOG_RETENTION,
    removalPolicy: options.removalPolicy,
  });
  const fn = new lambda.Function(scope, 'Function', {
    description: options.description,
    runtime: deployTimeRuntime(),
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: options.code,
    codeSigningConfig: options.codeSigningConfig,
    memorySize: options.memorySize,
    timeout: options.timeout,
    reservedConcurrentExecutions: options.reservedConcurrentExecutions,
    role,
    // Given here so that CDK makes no log group of its own (useCdkManagedLogGroup).
    logGroup,
  });
  setMark(fn, LIBRARY_FUNCTION_MARK);
  nameHelperFunction(fn.node.defaultChild as CfnResource, options.helperPurpose);
  const parts = { logGroup, deadLetterQueue: options.deadLetterQueue, key: options.key };
  renderHardenedSettings(fn, parts);
  grantOwnParts(role.policy, parts);

  const outsideVpc = options.outsideVpcReason;
  Validations.of(fn).acknowledge(
    { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC', reason: outsideVpc },
    { id: 'HIPAA.Security::HIPAA.Security-LambdaInsideVPC', reason: outsideVpc },
    { id: 'PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC', reason: outsideVpc },
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: outsideVpc },
    { id: insideVpc.id, reason: outsideVpc },
    { id: alarms.id, reason: options.noAlarmsReason },
  );
  skipScannerChecks(fn, { checkov: [{ id: 'CKV_AWS_117', reason: outsideVpc }] });
  if (options.unsignedReason) {
    Validations.of(fn).acknowledge({ id: codeSigning.id, reason: options.unsignedReason });
    skipScannerChecks(fn, { checkov: [{ id: 'CKV_AWS_272', reason: options.unsignedReason }] });
  }
  if (options.unreservedReason) {
    const reason = options.unreservedReason;
    Validations.of(fn).acknowledge(
      { id: reservedConcurrency.id, reason },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency', reason },
      { id: 'HIPAA.Security::HIPAA.Security-LambdaConcurrency', reason },
    );
    skipScannerChecks(fn, { checkov: [{ id: 'CKV_AWS_115', reason }] });
  }
  return { function: fn, role };
}

/** The statement active tracing needs (no resource-level permission exists for it). */
export function xrayTracingStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'XRayTracing',
    actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
    resources: ['*'],
  });
}

/** The newest Node.js runtime CDK knows (the handlers are bundled for Node.js 22 and later). */
function deployTimeRuntime(): lambda.Runtime {
  const newest = newestInFamily(lambda.Runtime.NODEJS_22_X);
  return lambda.Runtime.ALL.find((runtime) => runtime.name === newest) ?? lambda.Runtime.NODEJS_22_X;
}
