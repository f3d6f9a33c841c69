import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { lambdaCodePackageStatement } from './key-statements';

/** Key administration, without any cryptographic use and without kms:CreateGrant. */
const ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/** What principals of this account may do with the key once IAM also allows it. */
const USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/** What CloudWatch Logs needs to encrypt log groups of this account and region. */
const LOGS_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'];

/**
 * Properties of a BaselineKey.
 */
export interface BaselineKeyProps {
  /**
   * What happens to the key when it leaves the stack. Data encrypted with it
   * (logs, dead letters, environment variables) is unreadable once it is gone.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The key's description.
   *
   * @default 'Customer-managed key of the SecureFunctions in this stack (environment, logs, dead letters, code)'
   */
  readonly description?: string;
  /**
   * Whether Lambda (code packages) and CloudWatch Logs (log groups) may use the key.
   * Off for a key that serves neither, such as the Guard hook's.
   *
   * @default true
   */
  readonly forFunctions?: boolean;
}

/**
 * The customer-managed KMS key shared by the SecureFunctions of one stack:
 * rotation on, and a key policy that
 * - lets the account administer the key but not use it directly,
 * - lets principals of the account use it only when their IAM policy also says so,
 * - allows kms:CreateGrant only for AWS services acting for a resource, and
 *   denies every other grant (kms:GrantIsForAWSResource, Control Tower CT.KMS.PR.3),
 * - lets CloudWatch Logs use it only for log groups of this account and region,
 * - lets Lambda encrypt and read code packages only of functions of this account
 *   and region (`Code.SourceKMSKeyArn`; Lambda uses no grant for that).
 */
export class BaselineKey extends kms.Key {
  constructor(scope: Construct, id: string, props: BaselineKeyProps = {}) {
    const stack = Stack.of(scope);
    const account = new iam.AccountRootPrincipal();
    super(scope, id, {
      description: props.description ?? 'Customer-managed key of the SecureFunctions in this stack (environment, logs, dead letters, code)',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'KeyAdministrationByAccount',
            principals: [account],
            actions: ADMIN_ACTIONS,
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'UseByAccountPrincipalsAllowedByIam',
            principals: [account],
            actions: USE_ACTIONS,
            resources: ['*'],
            conditions: { StringEquals: { 'kms:CallerAccount': stack.account } },
          }),
          new iam.PolicyStatement({
            sid: 'GrantsOnlyForAwsResources',
            principals: [account],
            actions: ['kms:CreateGrant'],
            resources: ['*'],
            conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          }),
          new iam.PolicyStatement({
            sid: 'DenyGrantsNotForAwsResources',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['kms:CreateGrant'],
            resources: ['*'],
            conditions: {
              BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
            },
          }),
          ...(props.forFunctions ?? true ? functionServiceStatements(stack) : []),
        ],
      }),
    });
  }
}

/** Lambda code packages and CloudWatch Logs log groups of this account and region. */
function functionServiceStatements(stack: Stack): iam.PolicyStatement[] {
  return [
    lambdaCodePackageStatement(stack),
    new iam.PolicyStatement({
      sid: 'CloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: LOGS_ACTIONS,
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
        },
      },
    }),
  ];
}
