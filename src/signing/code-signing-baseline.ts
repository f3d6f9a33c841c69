import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeployTimeSigner } from './deploy-time-signer';
import { NO_PREFIX_LIST_LOOKUP, requireCodeSigningRegion } from './signer-regions';
import { invalidInput, show } from '../cfn/errors';


/**
 * Properties of a CodeSigningBaseline.
 */
export interface CodeSigningBaselineProps {
  /** The key for the signer's logs and code package. */
  readonly key: kms.IKey;
  /** Where the signer's failed invocations go. */
  readonly deadLetterQueue: sqs.IQueue;
  /** What happens to the signer's log group when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Sign with this profile instead of creating one.
   * @default - a profile for AWS Lambda (AWSLambda-SHA384-ECDSA)
   */
  readonly profile?: signer.ISigningProfile;
  /**
   * How long signatures stay valid.
   * @default Duration.days(365)
   */
  readonly signatureValidity?: Duration;
  /**
   * The name of the created profile. Changing it replaces the profile: the way
   * to rotate it.
   * @default - a name CloudFormation generates
   */
  readonly profileName?: string;
  /**
   * How many signing steps run at once (and executions the signer reserves).
   * @default 2
   */
  readonly signerConcurrency?: number;
  /**
   * Whether the signer reserves its executions.
   * @default true
   */
  readonly signerReservesConcurrency?: boolean;
}

/**
 * What the SecureFunctions of a stack share for code integrity: one AWS Signer
 * profile for Lambda, one code-signing config that allows exactly that profile
 * and enforces it (`UntrustedArtifactOnDeployment: Enforce`), and, the first time
 * an asset needs signing, the deploy-time signer.
 */
export class CodeSigningBaseline extends Construct {
  /** The profile that signs assets at deploy time. */
  public readonly profile: signer.ISigningProfile;
  /** The enforcing config that allows `profile`. */
  public readonly config: lambda.ICodeSigningConfig;
  /**
   * What identifies the signing profile in version hashes: its chosen name, so
   * that renaming (rotating) it publishes new versions.
   * @internal
   */
  public readonly _profileIdentity: string;
  private readonly props: CodeSigningBaselineProps;
  private _signer?: DeployTimeSigner;

  constructor(scope: Construct, id: string, props: CodeSigningBaselineProps) {
    super(scope, id);
    requireCodeSigningRegion(this, `CodeSigningBaseline ${this.node.path}:`, NO_PREFIX_LIST_LOOKUP);
    this.props = props;
    this.profile = props.profile ?? this.createProfile(props);
    this._profileIdentity = props.profile ? props.profile.node.path : (props.profileName ?? 'generated');
    this.config = new lambda.CodeSigningConfig(this, 'Config', {
      description: 'SecureFunction code integrity: only code signed by the stack\'s profile deploys',
      signingProfiles: [this.profile],
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
    });
  }

  private createProfile(props: CodeSigningBaselineProps): signer.ISigningProfile {
    const name = props.profileName;
    if (name !== undefined && !Token.isUnresolved(name) && !/^[a-zA-Z0-9_]{2,64}$/.test(name)) {
      throw invalidInput(
        `SecurityBaseline ${this.node.path}: 'signingProfileName'`,
        'must be 2 to 64 letters, digits or underscores (AWS Signer profile names)',
        show(name),
        'e.g. \'orders_2027\'',
      );
    }
    const profile = new signer.SigningProfile(this, 'Profile', {
      platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA,
      // One year: long enough that unchanged code rarely needs re-signing, short
      // enough that a leaked signed package stops deploying (see docs/code-integrity.md).
      signatureValidity: props.signatureValidity ?? Duration.days(365),
      signingProfileName: name,
    });
    if (name !== undefined) {
      // Without the @aws-cdk/aws-signer:signingProfileNamePassedToCfn flag CDK leaves the
      // name out of the template, and renaming would not replace (rotate) the profile.
      (profile.node.defaultChild as signer.CfnSigningProfile).profileName = name;
    }
    return profile;
  }

  /** The stack's deploy-time signer, created the first time an asset needs signing. */
  public get signer(): DeployTimeSigner {
    if (!this._signer) {
      this._signer = new DeployTimeSigner(this, 'Signer', {
        profile: this.profile,
        key: this.props.key,
        deadLetterQueue: this.props.deadLetterQueue,
        removalPolicy: this.props.removalPolicy,
        concurrency: this.props.signerConcurrency,
        reserveConcurrency: this.props.signerReservesConcurrency,
      });
    }
    return this._signer;
  }
}
