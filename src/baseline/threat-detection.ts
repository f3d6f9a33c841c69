import { Annotations, CfnResource, Duration, RemovalPolicy, Stack, Token, TokenComparison, Validations } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { aws_guardduty as guarddutyRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { SecurityBaseline } from './security-baseline';
import { singletonTarget } from '../cfn/cdk-internals';
import { invalidInput, show } from '../cfn/errors';
import { FUNCTION_LOG_RETENTION } from '../cfn/function-settings';
import { nameHelperFunction } from '../cfn/helper-functions';
import { skipScannerChecks } from '../cfn/scanner-skips';

const THREAT_DETECTION_SYMBOL = Symbol.for('cdk-secure-function.LambdaThreatDetection');

/** The detector feature of GuardDuty Lambda Protection. */
const LAMBDA_PROTECTION_FEATURE = 'LAMBDA_NETWORK_LOGS';

/** IAM Access Analyzer's bounds for UnusedAccessAge, in days (AWS::AccessAnalyzer::Analyzer). */
const UNUSED_ACCESS_AGE = { min: 1, max: 365, defaultDays: 90 };

/**
 * Properties of a LambdaThreatDetection. Every detection is an opt-in: each is
 * account-wide, billed by AWS (see docs/threat-detection.md), and often run
 * for the whole organisation by a security team instead (`managedCentrally`).
 */
export interface LambdaThreatDetectionProps {
  /**
   * Turn on GuardDuty Lambda Protection: GuardDuty analyses the network activity
   * logs of every Lambda function of the account and region (the detector
   * feature `LAMBDA_NETWORK_LOGS`) and reports functions that reach known
   * malicious hosts, mine cryptocurrency or call a command-and-control server.
   *
   * Without `guardDutyDetector` a detector is created. GuardDuty allows one
   * detector per account and region, so where one exists pass it instead. A new
   * detector also runs GuardDuty's foundational detection (CloudTrail
   * management events, VPC flow logs, DNS logs), billed by volume, and GuardDuty
   * turns on its other protection plans on a new detector by default.
   *
   * @default false
   * @see https://docs.aws.amazon.com/guardduty/latest/ug/lambda-protection.html
   */
  readonly guardDutyLambdaProtection?: boolean;

  /**
   * The account's GuardDuty detector in this region, on which Lambda Protection
   * is turned on (`guardduty:UpdateDetector`, at deploy time) instead of
   * creating a detector. Lambda Protection is turned off on it again when it
   * leaves the stack. For example `guardduty.CfnDetector.fromDetectorId(this,
   * 'Detector', '12abc34d567e8fa901bc2d34e56789f0')`.
   *
   * @default - a detector is created (with `guardDutyLambdaProtection`)
   */
  readonly guardDutyDetector?: guarddutyRefs.IDetectorRef;

  /**
   * Turn on Amazon Inspector Lambda standard scanning for the account and
   * region: the dependencies of every function's package and layers are
   * scanned for known vulnerabilities (`inspector2:Enable` with resource type
   * `LAMBDA`, at deploy time; `inspector2:Disable` when it leaves the stack).
   *
   * Inspector does not scan functions encrypted with a customer-managed key,
   * and every SecureFunction and hardened function encrypts its environment and
   * package with the stack's key: a warning
   * (`cdk-secure-function:inspector-skips-encrypted-functions`) says so.
   *
   * @default false
   * @see https://docs.aws.amazon.com/inspector/latest/user/scanning-lambda.html
   */
  readonly inspectorLambdaScanning?: boolean;

  /**
   * Also turn on Amazon Inspector Lambda code scanning: the functions' own code
   * is scanned for code vulnerabilities such as injection flaws and hard-coded
   * credentials (resource type `LAMBDA_CODE`). Needs `inspectorLambdaScanning`.
   * Turning it off later turns code scanning off in the account.
   *
   * @default false
   * @see https://docs.aws.amazon.com/inspector/latest/user/scanning_resources_lambda_code.html
   */
  readonly inspectorLambdaCodeScanning?: boolean;

  /**
   * Create an IAM Access Analyzer unused-access analyzer for the account
   * (`ACCOUNT_UNUSED_ACCESS`): findings for roles, access keys and passwords
   * unused for `unusedAccessAge`, and for unused permissions of roles in use.
   * A member account can have only one, and its findings do not depend on the
   * region: create it in one region only.
   *
   * @default false
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-unused.html
   */
  readonly unusedAccessAnalyzer?: boolean;

  /**
   * How long access must go unused before the analyzer reports it: whole days,
   * from 1 to 365. Changing it interrupts the analyzer while it is updated.
   *
   * @default Duration.days(90)
   */
  readonly unusedAccessAge?: Duration;

  /**
   * Why threat detection of this account is not this stack's: the organisation
   * runs GuardDuty, Inspector and IAM Access Analyzer for every account, for
   * example from a delegated administrator account. Nothing is created; the
   * reason is recorded as an acknowledgment (`LambdaThreatDetection.MANAGED_CENTRALLY`)
   * that the audit report lists. Cannot be combined with an opt-in.
   *
   * @default - detection is this stack's: at least one opt-in must be on
   */
  readonly managedCentrally?: string;
}

/**
 * Threat detection for the Lambda functions of an account and region, each an
 * opt-in priced in docs/threat-detection.md: GuardDuty Lambda Protection,
 * Amazon Inspector Lambda standard and code scanning, and an IAM Access Analyzer
 * unused-access analyzer. Every one is account-wide: create one per account and
 * region (the analyzer in one region only). An account whose detection is the
 * organisation's says so once with `managedCentrally` and the reason.
 *
 * Inspector, and Lambda Protection on an existing detector, are turned on and
 * off by AwsCustomResource calls: CDK's provider function (named by the
 * library's rules, not judged), holding only the permissions those calls need,
 * logging to a log group encrypted with the stack's key (SecurityBaseline:
 * create yours, if any, before this construct).
 */
export class LambdaThreatDetection extends Construct {
  /**
   * The id under which a stack records that threat detection is the
   * organisation's: `managedCentrally` acknowledges it, as may
   * `Validations.of(stack).acknowledge({ id, reason })`.
   */
  public static readonly MANAGED_CENTRALLY = 'cdk-secure-function::lambda-threat-detection';

  /**
   * Whether `x` is a LambdaThreatDetection (works across copies of this library).
   */
  public static isLambdaThreatDetection(x: unknown): x is LambdaThreatDetection {
    return typeof x === 'object' && x !== null && THREAT_DETECTION_SYMBOL in x;
  }

  /**
   * The GuardDuty detector Lambda Protection runs on: the one created, or
   * `guardDutyDetector`.
   *
   * @default - none, without guardDutyLambdaProtection
   */
  public readonly detector?: guarddutyRefs.IDetectorRef;

  private providerLogs?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LambdaThreatDetectionProps = {}) {
    super(scope, id);
    const what = `LambdaThreatDetection ${this.node.path}`;
    const stack = Stack.of(this);
    if (stack.node.findAll().some((c) => c !== this && LambdaThreatDetection.isLambdaThreatDetection(c))) {
      throw invalidInput(`${what}: the stack`, 'may hold one LambdaThreatDetection (every detection is account-wide)', `a second in ${stack.node.path}`,
        'create one per account and region with every opt-in you want, and pass its options there');
    }
    Object.defineProperty(this, THREAT_DETECTION_SYMBOL, { value: true });
    validate(what, props);

    if (props.managedCentrally !== undefined) {
      Validations.of(this).acknowledge({ id: LambdaThreatDetection.MANAGED_CENTRALLY, reason: props.managedCentrally });
      return;
    }
    if (props.guardDutyLambdaProtection) {
      this.detector = props.guardDutyDetector
        ? this.protectExistingDetector(what, props.guardDutyDetector)
        : this.createDetector();
    }
    if (props.inspectorLambdaScanning) {
      this.turnOnInspector(props.inspectorLambdaCodeScanning === true);
    }
    if (props.unusedAccessAnalyzer) {
      new accessanalyzer.CfnAnalyzer(this, 'UnusedAccessAnalyzer', {
        type: 'ACCOUNT_UNUSED_ACCESS',
        analyzerConfiguration: {
          unusedAccessConfiguration: { unusedAccessAge: ageInDays(props.unusedAccessAge, what) },
        },
      });
    }
  }

  /**
   * The log group of the AwsCustomResource provider, encrypted with the stack's
   * key and kept a year like every function's (CDK would leave it to Lambda:
   * unencrypted, kept forever). It is used when these calls are the first
   * AwsCustomResource of the stack, which creates the provider.
   */
  private get providerLogGroup(): logs.ILogGroup {
    this.providerLogs ??= new logs.LogGroup(this, 'ProviderLogs', {
      encryptionKey: SecurityBaseline.of(this).key,
      retention: FUNCTION_LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return this.providerLogs;
  }

  /** A detector with Lambda Protection; GuardDuty's defaults choose its other plans. */
  private createDetector(): guardduty.CfnDetector {
    const detector = new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      features: [{ name: LAMBDA_PROTECTION_FEATURE, status: 'ENABLED' }],
    });
    Validations.of(detector).acknowledge({
      id: 'cdk-validator-cfnguard::guardduty_s3_protection_enabled_check',
      reason: 'The detector lists only what this construct turns on and prices, Lambda Protection. GuardDuty turns its other protection plans, S3 Protection among them, on by default in a new detector; whether the account pays for S3 data-event analysis is for whoever runs GuardDuty for its buckets to choose.',
    });
    return detector;
  }

  /** Turns Lambda Protection on in a detector the stack does not own, and off when it leaves the stack. */
  private protectExistingDetector(what: string, detector: guarddutyRefs.IDetectorRef): guarddutyRefs.IDetectorRef {
    const stack = Stack.of(this);
    for (const part of ['account', 'region'] as const) {
      const theirs = detector.env[part];
      if (Token.compareStrings(theirs, stack[part]) === TokenComparison.DIFFERENT) {
        throw invalidInput(`${what}: 'guardDutyDetector'`, `must be in the stack's ${part} (GuardDuty is turned on per account and region)`,
          `a detector in ${show(theirs)} for a stack in ${show(stack[part])}`, `pass the detector of ${show(stack[part])}, or deploy this construct in a stack of ${show(theirs)}`);
      }
    }
    const detectorId = detector.detectorRef.detectorId;
    const update = (status: string): cr.AwsSdkCall => ({
      service: 'GuardDuty',
      action: 'updateDetector',
      parameters: { DetectorId: detectorId, Features: [{ Name: LAMBDA_PROTECTION_FEATURE, Status: status }] },
      // Another detector is another resource: it is turned on there, then off here.
      physicalResourceId: cr.PhysicalResourceId.of(detectorId),
      logging: cr.Logging.withDataHidden(),
    });
    const protection = new cr.AwsCustomResource(this, 'LambdaProtection', {
      resourceType: 'Custom::GuardDutyLambdaProtection',
      onCreate: update('ENABLED'),
      onUpdate: update('ENABLED'),
      onDelete: update('DISABLED'),
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['guardduty:UpdateDetector'],
        resources: [stack.formatArn({ service: 'guardduty', resource: 'detector', resourceName: detectorId })],
      })]),
      installLatestAwsSdk: false,
      logGroup: this.providerLogGroup,
    });
    acknowledgeProvider(protection);
    return detector;
  }

  /**
   * Turns on Inspector's Lambda scanning (and code scanning) with one call, and
   * each off when it leaves the stack: standard scanning with the resource that
   * turned it on, code scanning with a resource of its own, so that turning
   * code scanning off alone turns it off in the account.
   */
  private turnOnInspector(codeScanning: boolean): void {
    const types = codeScanning ? ['LAMBDA', 'LAMBDA_CODE'] : ['LAMBDA'];
    const call = (action: string, resourceTypes: string[]): cr.AwsSdkCall => ({
      service: 'Inspector2',
      action,
      parameters: { resourceTypes },
      physicalResourceId: cr.PhysicalResourceId.of(`inspector2-${resourceTypes.join('-').toLowerCase()}`),
      logging: cr.Logging.withDataHidden(),
    });
    const standard = new cr.AwsCustomResource(this, 'InspectorLambdaScanning', {
      resourceType: 'Custom::InspectorLambdaScanning',
      onCreate: call('enable', types),
      onUpdate: call('enable', types),
      // Turning standard scanning off turns code scanning off too (Inspector user guide).
      onDelete: call('disable', ['LAMBDA']),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        // Neither action supports resource-level permissions (Service Authorization Reference).
        new iam.PolicyStatement({ actions: ['inspector2:Enable', 'inspector2:Disable'], resources: ['*'] }),
        // The first Enable of an account creates Inspector's service-linked role.
        new iam.PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [Stack.of(this).formatArn({
            service: 'iam',
            region: '',
            resource: 'role',
            resourceName: 'aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2',
          })],
          conditions: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
        }),
      ]),
      installLatestAwsSdk: false,
      logGroup: this.providerLogGroup,
    });
    acknowledgeProvider(standard, 'inspector2:Enable and inspector2:Disable support no resource-level permissions (Service Authorization Reference); the calls pass only the Lambda resource types and no account ids, so they act on this account alone.');
    if (codeScanning) {
      const code = new cr.AwsCustomResource(this, 'InspectorLambdaCodeScanning', {
        resourceType: 'Custom::InspectorLambdaCodeScanning',
        // Turned on with standard scanning, in one call; this resource turns it off.
        onDelete: call('disable', ['LAMBDA_CODE']),
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['inspector2:Disable'], resources: ['*'] }),
        ]),
        installLatestAwsSdk: false,
        logGroup: this.providerLogGroup,
      });
      code.node.addDependency(standard);
      acknowledgeProvider(code, 'inspector2:Disable supports no resource-level permissions (Service Authorization Reference); the call passes only the LAMBDA_CODE resource type and no account ids, so it acts on this account alone.');
    }
    Annotations.of(this).addWarningV2('cdk-secure-function:inspector-skips-encrypted-functions',
      'Amazon Inspector does not scan Lambda functions encrypted with a customer-managed key, and SecureFunction and LambdaHardening encrypt every function\'s environment and .zip package with the stack\'s key: '
      + 'Inspector\'s Lambda scanning covers the account\'s other functions only. Scan the code before it is deployed (for example an SBOM of the build with Amazon Inspector\'s ScanSbom API), '
      + 'then acknowledge this warning with Validations.of(detection).acknowledge({ id: \'cdk-secure-function:inspector-skips-encrypted-functions\', reason }).');
  }
}

/** Throws for the first rule an input breaks. */
function validate(what: string, props: LambdaThreatDetectionProps): void {
  const optIns = (['guardDutyLambdaProtection', 'inspectorLambdaScanning', 'unusedAccessAnalyzer'] as const).filter((name) => props[name] === true);
  if (props.managedCentrally !== undefined) {
    if (!props.managedCentrally.trim()) {
      throw invalidInput(`${what}: 'managedCentrally'`, 'must say why detection is the organisation\'s', show(props.managedCentrally),
        'name who runs GuardDuty, Inspector and Access Analyzer for this account, e.g. \'GuardDuty, Inspector and Access Analyzer are enabled for every account by the security account (delegated administrator)\'');
    }
    if (optIns.length > 0) {
      throw invalidInput(`${what}: 'managedCentrally'`, 'cannot be combined with an opt-in (detection is either the organisation\'s or this stack\'s)',
        `managedCentrally with ${optIns.join(', ')}`, 'remove managedCentrally to turn detection on here, or the opt-ins if the organisation runs it');
    }
    return;
  }
  if (optIns.length === 0) {
    throw invalidInput(`${what}: the props`, 'must turn on a detection or say why the organisation runs it', 'none of guardDutyLambdaProtection, inspectorLambdaScanning, unusedAccessAnalyzer',
      'set one of them to true, or managedCentrally to the reason detection of this account is the organisation\'s');
  }
  const needs: Array<[keyof LambdaThreatDetectionProps, keyof LambdaThreatDetectionProps]> = [
    ['guardDutyDetector', 'guardDutyLambdaProtection'],
    ['inspectorLambdaCodeScanning', 'inspectorLambdaScanning'],
    ['unusedAccessAge', 'unusedAccessAnalyzer'],
  ];
  for (const [option, optIn] of needs) {
    const given = props[option];
    if (given !== undefined && given !== false && props[optIn] !== true) {
      throw invalidInput(`${what}: '${option}'`, `applies only with '${optIn}: true'`, `${option} without ${optIn}`,
        `set ${optIn}: true, or remove ${option}`);
    }
  }
  ageInDays(props.unusedAccessAge, what);
}

/** UnusedAccessAge in whole days, checked against the service's bounds. */
function ageInDays(age: Duration | undefined, what: string): number {
  if (age === undefined) {
    return UNUSED_ACCESS_AGE.defaultDays;
  }
  if (age.isUnresolved()) {
    return age.toDays();
  }
  const days = age.toDays({ integral: false });
  if (!Number.isInteger(days) || days < UNUSED_ACCESS_AGE.min || days > UNUSED_ACCESS_AGE.max) {
    throw invalidInput(`${what}: 'unusedAccessAge'`, `must be whole days from ${UNUSED_ACCESS_AGE.min} to ${UNUSED_ACCESS_AGE.max} (IAM Access Analyzer's UnusedAccessAge)`,
      age.toHumanString(), `pass Duration.days(n) with n from ${UNUSED_ACCESS_AGE.min} to ${UNUSED_ACCESS_AGE.max}, or leave it out for ${UNUSED_ACCESS_AGE.defaultDays} days`);
  }
  return days;
}

/** Providers already acknowledged (one singleton serves every AwsCustomResource of a stack). */
const ACKNOWLEDGED_PROVIDERS = new WeakSet<lambda.Function>();

/**
 * The provider behind an AwsCustomResource is CDK's: the library's rules name it
 * and do not judge it (cfn/cdk-providers.ts). What the other suites ask of it
 * and of its inline policies, CDK does not let a caller give; each is
 * acknowledged on it with why.
 */
function acknowledgeProvider(resource: cr.AwsCustomResource, wildcardReason?: string): void {
  const inline = 'AwsCustomResource grants its calls through an inline policy of its own on CDK\'s shared provider role, created before the call and deleted after it; CDK offers no customer-managed policy for it.';
  Validations.of(resource.node.findChild('CustomResourcePolicy')).acknowledge(
    ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}::${pack}-IAMNoInlinePolicy`, reason: inline })),
    ...(wildcardReason ? [{ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: wildcardReason }] : []),
  );
  const provider = singletonTarget(resource.node.findChild('Provider') as lambda.SingletonFunction);
  if (ACKNOWLEDGED_PROVIDERS.has(provider)) {
    return;
  }
  ACKNOWLEDGED_PROVIDERS.add(provider);
  nameHelperFunction(provider.node.defaultChild as CfnResource, 'threat-detection');
  const cdkOwned = 'CDK\'s AwsCustomResource provider: CDK ships its code, role and settings (no VPC placement, dead-letter queue, reserved concurrency, tracing or memory size is given to it), and CloudFormation invokes it synchronously only while it deploys a threat-detection setting, failing the deployment on an error.';
  Validations.of(provider).acknowledge(
    { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: cdkOwned },
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: cdkOwned },
    ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}::${pack}-LambdaInsideVPC`, reason: cdkOwned })),
    ...['NIST.800.53.R5', 'HIPAA.Security'].flatMap((pack) => [
      { id: `${pack}::${pack}-LambdaDLQ`, reason: cdkOwned },
      { id: `${pack}::${pack}-LambdaConcurrency`, reason: cdkOwned },
    ]),
    ...['LambdaDLQ', 'LambdaTracing', 'LambdaDefaultMemorySize'].map((rule) => ({ id: `Serverless::Serverless-${rule}`, reason: cdkOwned })),
  );
  skipScannerChecks(provider, {
    checkov: ['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117'].map((id) => ({ id, reason: cdkOwned })),
    cfnLint: [{ id: 'W3005', reason: 'CDK\'s provider waits for its role by construct as well as through its Role property; harmless, and CDK\'s to render.' }],
  });
}
