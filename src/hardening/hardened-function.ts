import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FunctionAlarms } from '../observability/function-alarms';

/**
 * What LambdaHardening gave a function (`LambdaHardening.of(fn)`).
 */
export interface HardenedFunction {
  /** The function hardened. */
  readonly function: lambda.IFunction;
  /** The key of its environment, logs, dead letters and code package. */
  readonly encryptionKey: kms.IKey;
  /** Its log group (JSON logs, encrypted, with retention). */
  readonly logGroup: logs.ILogGroup;
  /** Its dead-letter queue (encrypted, TLS-only). */
  readonly deadLetterQueue: sqs.IQueue;
  /** The security group its endpoint egress rules are on. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The VPC it runs in. */
  readonly vpc: ec2.IVpc;
  /**
   * The version this deployment publishes.
   *
   * @default - none: the function had aliases of its own, or is a CfnFunction
   */
  readonly version?: lambda.IVersion;
  /**
   * The alias on that version.
   *
   * @default - none: the function had aliases of its own, or is a CfnFunction
   */
  readonly alias?: lambda.Alias;
  /**
   * Its alarms.
   *
   * @default - none with `alarms: false`
   */
  readonly alarms?: FunctionAlarms;
}
