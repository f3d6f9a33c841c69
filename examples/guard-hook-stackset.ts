import * as fs from 'fs';
import { App, BootstraplessSynthesizer, CfnStackSet, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { GuardHookFailureMode, SecureFunctionGuardHook } from 'cdk-secure-function';

/** What the platform team sets once for its organization. */
export interface OrgRolloutProps extends StackProps {
  /** The name of the bucket that holds the rules (S3 names are global: pick your own). */
  readonly rulesBucketName: string;
  /** The organization id (o-...): only its accounts may read the rules. */
  readonly organizationId: string;
  /** The organizational units whose accounts get the hook (the root OU for all). */
  readonly organizationalUnitIds: string[];
  /** The regions the hook is active in. */
  readonly regions: string[];
  /** Warn instead of failing, for a first rollout. @default fail */
  readonly warnOnly?: boolean;
}

/** Where the rules live: one copy for the whole organization. */
const RULES_KEY = 'secure-function/secure-function.guard';

/**
 * The organization-wide rollout of SecureFunctionGuardHook, deployed in the
 * management account (or a StackSets delegated administrator):
 *
 * 1. a bucket that accounts of the organization may read, holding the library's
 *    blocking rules file (one copy, versioned);
 * 2. a service-managed StackSet that deploys the hook stack to every account of
 *    the given OUs and regions, and to every account that joins them later.
 *
 * The hook stack is synthesized without bootstrap resources (member accounts
 * need not be bootstrapped) and reads the rules from the central bucket.
 */
export class GuardHookRollout extends Stack {
  public readonly rulesBucket: s3.Bucket;
  public readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: OrgRolloutProps) {
    super(scope, id, props);
    this.rulesBucket = new s3.Bucket(this, 'Rules', {
      bucketName: props.rulesBucketName,
      versioned: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED, // rules are not secret; member accounts read them without a key grant
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.rulesBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'HookRolesOfTheOrganizationReadTheRules',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [this.rulesBucket.arnForObjects(RULES_KEY)],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
    }));
    const upload = new s3deploy.BucketDeployment(this, 'Upload', {
      sources: [s3deploy.Source.data(RULES_KEY, fs.readFileSync(SecureFunctionGuardHook.BLOCKING_RULES_FILE, 'utf8'))],
      destinationBucket: this.rulesBucket,
      prune: false,
    });

    // Deploy the hook only once the rules are in place.
    this.stackSet = new CfnStackSet(this, 'GuardHook', {
      stackSetName: 'secure-function-guard-hook',
      description: 'SecureFunction rule catalog as a CloudFormation Guard hook, in every account',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 0, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      stackInstancesGroup: [{
        deploymentTargets: { organizationalUnitIds: props.organizationalUnitIds },
        regions: props.regions,
      }],
      templateBody: JSON.stringify(hookTemplate(props.rulesBucketName, props.warnOnly)),
    });
    this.stackSet.node.addDependency(upload);
  }
}

/**
 * The template every account gets: the hook, its role, its key and log buckets,
 * reading the rules from the organization's bucket. Synthesized on its own, with
 * no bootstrap parameter, so a StackSet can deploy it anywhere.
 */
export function hookTemplate(rulesBucketName: string, warnOnly = false): unknown {
  const app = new App();
  const stack = new Stack(app, 'SecureFunctionGuardHook', { synthesizer: new BootstraplessSynthesizer() });
  new SecureFunctionGuardHook(stack, 'Guard', {
    failureMode: warnOnly ? GuardHookFailureMode.WARN : GuardHookFailureMode.FAIL,
    rulesLocation: { bucketName: rulesBucketName, objectKey: RULES_KEY },
    // Keep the hook's reports if an account leaves the organization.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return app.synth().getStackByName(stack.stackName).template;
}

if (require.main === module) {
  const app = new App();
  new GuardHookRollout(app, 'SecureFunctionGuardRollout', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    rulesBucketName: app.node.tryGetContext('rulesBucketName') ?? 'example-org-secure-function-guard-rules',
    organizationId: app.node.tryGetContext('organizationId') ?? 'o-exampleorgid',
    organizationalUnitIds: [app.node.tryGetContext('rootOuId') ?? 'r-examplerootid'],
    regions: (app.node.tryGetContext('regions') ?? 'us-east-1,eu-west-1').split(','),
  });
  app.synth();
}
