import * as path from 'path';
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnGuardHook } from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { GuardHookFailureMode, GuardHookRulesLocation, GuardHookStackFilters, GuardHookTargetOperation } from './guard-hook-options';
import { GUARD_BLOCKING_RULES_FILE, GUARD_RULES_FILE } from './rules-file';
import { BaselineKey } from '../baseline/baseline-key';
import { dropRedundantDependsOn } from '../cfn/depends-on';
import { invalidInput } from '../cfn/errors';
import { ManagedPolicyRole } from '../iam/managed-policy-role';
import { wildcardResourceAckId } from '../iam/wildcard-ack-ids';
import { auditBuckets } from '../observability/audit-buckets';

export * from './guard-hook-options';

/**
 * Properties of a SecureFunctionGuardHook.
 */
export interface SecureFunctionGuardHookProps {
  /**
   * The hook's type name alias, unique per account and region.
   *
   * @default 'Private::SecureFunction::Guard'
   */
  readonly alias?: string;
  /**
   * What happens to an operation the rules fail.
   *
   * @default GuardHookFailureMode.FAIL
   */
  readonly failureMode?: GuardHookFailureMode;
  /**
   * The operations evaluated.
   *
   * @default [GuardHookTargetOperation.STACK]
   */
  readonly targetOperations?: GuardHookTargetOperation[];
  /**
   * The stacks evaluated.
   *
   * @default - every stack of the account and region
   */
  readonly stackFilters?: GuardHookStackFilters;
  /**
   * Whether the hook also evaluates the warn-severity rules (a failure of which
   * would then fail the operation too, unlike LambdaRulesAspect, which only warns).
   *
   * Not with `rulesLocation` (upload the file you want there).
   *
   * @default false - the blocking rules only (BLOCKING_RULES_FILE)
   */
  readonly includeWarnRules?: boolean;
  /**
   * Where the rules are read.
   *
   * @default - the library's rules file, uploaded as an asset of this stack
   */
  readonly rulesLocation?: GuardHookRulesLocation;
  /**
   * The key of the log bucket.
   *
   * @default - a customer-managed key with rotation, for this hook
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the log buckets and the key when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const ALIAS = /^(?!AWS::)[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/;

/**
 * The rule catalog, account-wide: an `AWS::CloudFormation::GuardHook` that runs
 * the library's Guard rules file on every stack CloudFormation creates or
 * updates in the account and region, whoever wrote it and with whatever tool, and
 * fails the operation on a violation (or warns, as an opt-in).
 *
 * By default it enforces the blocking rules (`BLOCKING_RULES_FILE`), so it
 * refuses what LambdaRulesAspect fails synthesis on; `includeWarnRules` adds
 * the warn-severity ones. The rules are uploaded as an asset (or read from
 * `rulesLocation`, for StackSets); the hook's
 * execution role reads exactly that object and writes only to the hook's log
 * bucket, which is KMS-encrypted, TLS-only, versioned, closed to the public and
 * access-logged.
 */
export class SecureFunctionGuardHook extends Construct {
  /**
   * The library's Guard rules file of every catalog rule, as shipped in the package
   * (every jsii package carries it too): generated from the rule catalog.
   */
  public static readonly RULES_FILE = path.join(__dirname, '..', '..', GUARD_RULES_FILE);

  /**
   * The blocking rules only: what the hook enforces by default, so that it refuses
   * what LambdaRulesAspect fails synthesis on.
   */
  public static readonly BLOCKING_RULES_FILE = path.join(__dirname, '..', '..', GUARD_BLOCKING_RULES_FILE);

  /** The hook. */
  public readonly hook: CfnGuardHook;
  /** The hook's execution role. */
  public readonly role: iam.IRole;
  /** Where the hook writes its reports. */
  public readonly logBucket: s3.IBucket;
  /** The uploaded rules, when not read from `rulesLocation`. */
  public readonly rulesAsset?: s3assets.Asset;

  constructor(scope: Construct, id: string, props: SecureFunctionGuardHookProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const alias = props.alias ?? 'Private::SecureFunction::Guard';
    if (!ALIAS.test(alias)) {
      throw invalidInput(`SecureFunctionGuardHook ${this.node.path}: 'alias'`, 'must be three parts Name1::Name2::Name3 (letters and digits, 2 to 64 each) and not start with AWS::', alias, "use for example 'Private::SecureFunction::Guard'");
    }
    const targetOperations = props.targetOperations ?? [GuardHookTargetOperation.STACK];
    if (targetOperations.length === 0) {
      throw invalidInput(`SecureFunctionGuardHook ${this.node.path}: 'targetOperations'`, 'must name at least one operation', '[]', 'leave it unset for stack operations');
    }
    if (props.rulesLocation && props.includeWarnRules !== undefined) {
      throw invalidInput(`SecureFunctionGuardHook ${this.node.path}: 'includeWarnRules'`, 'chooses the packaged file, so it cannot be used with rulesLocation', String(props.includeWarnRules),
        'upload RULES_FILE or BLOCKING_RULES_FILE to rulesLocation yourself, and leave includeWarnRules unset');
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const key = props.encryptionKey ?? new BaselineKey(this, 'Key', {
      description: `Guard hook ${alias}: its reports`,
      removalPolicy,
      forFunctions: false,
    });
    const { bucket } = auditBuckets(this, { key, removalPolicy, accessLogPrefix: 'guard-hook/' });
    this.logBucket = bucket;

    const role = new ManagedPolicyRole(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('hooks.cloudformation.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudformation:${stack.region}:${stack.account}:type/hook/*` },
      }),
      description: `Guard hook ${alias}: reads its rules, writes its reports`,
    });
    this.role = role;

    let uri: string;
    let versionId: string | undefined;
    if (props.rulesLocation) {
      const { bucketName, objectKey, objectVersion } = props.rulesLocation;
      uri = `s3://${bucketName}/${objectKey}`;
      versionId = objectVersion;
      role.policy.addStatements(new iam.PolicyStatement({
        sid: 'ReadTheRules',
        actions: objectVersion ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:GetObject'],
        resources: [`arn:${stack.partition}:s3:::${bucketName}/${objectKey}`],
      }));
    } else {
      const file = props.includeWarnRules ? SecureFunctionGuardHook.RULES_FILE : SecureFunctionGuardHook.BLOCKING_RULES_FILE;
      this.rulesAsset = new s3assets.Asset(this, 'Rules', { path: file });
      uri = this.rulesAsset.s3ObjectUrl;
      role.policy.addStatements(new iam.PolicyStatement({
        sid: 'ReadTheRules',
        actions: ['s3:GetObject'],
        resources: [this.rulesAsset.bucket.arnForObjects(this.rulesAsset.s3ObjectKey)],
      }));
    }
    role.policy.addStatements(
      new iam.PolicyStatement({
        sid: 'WriteReports',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptReports',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
      }),
    );
    Validations.of(role).acknowledge({
      id: wildcardResourceAckId(stack, bucket.arnForObjects('*')),
      reason: 'The hook names each report object itself (per stack and operation); the role may write objects only in its own log bucket.',
    });

    const filters = props.stackFilters;
    this.hook = new CfnGuardHook(this, 'Hook', {
      alias,
      executionRole: role.roleArn,
      failureMode: props.failureMode ?? GuardHookFailureMode.FAIL,
      hookStatus: 'ENABLED',
      logBucket: bucket.bucketName,
      ruleLocation: { uri, versionId },
      targetOperations,
      stackFilters: filters ? {
        filteringCriteria: filters.filteringCriteria ?? 'ALL',
        stackNames: includeExclude(filters.includeStackNames, filters.excludeStackNames),
        stackRoles: includeExclude(filters.includeStackRoles, filters.excludeStackRoles),
      } : undefined,
    });
    // The role and its policy exist before the hook is activated.
    this.hook.node.addDependency(role);
    // Its execution role is named by ExecutionRole already: only the role's policy is waited for (cfn-lint W3005).
    dropRedundantDependsOn(this.hook);
  }
}

/** A filter's include and exclude lists, or nothing when neither is given. */
function includeExclude(include?: string[], exclude?: string[]): { include?: string[]; exclude?: string[] } | undefined {
  return include || exclude ? { include, exclude } : undefined;
}
