import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct } from 'constructs';
import { CodeSigningBaseline } from './code-signing-baseline';
import { signLayers } from './layer-signing';
import { SecureFunctionProps } from '../function/secure-function-props';
import { invalidInput } from '../private/errors';

/** What a function deploys, and the config that checks its signature. */
export interface FunctionCode {
  /** The code the function points at: the signed package for assets. */
  readonly code: lambda.Code;
  /** The code-signing config, absent only for an accepted container image. */
  readonly config?: lambda.ICodeSigningConfig;
  /** What a new version depends on beyond the function's own properties. */
  readonly versionSalt?: string;
}

/** How the function's code reaches Lambda. */
type CodeKind = 'asset' | 's3' | 'inline' | 'image';

/**
 * Decides how the function's code is signed and checked:
 * - a .zip asset is signed at deploy time by the stack's signer, and the
 *   function points at the signed package;
 * - an S3 object (`Code.fromBucketV2` with `objectVersion`) is taken as signed by
 *   a pipeline; no job runs and the config must trust the pipeline's profile;
 * - inline code cannot be signed, so it is refused while enforcement is on;
 * - container images are outside Lambda code signing, refused unless the
 *   named opt-in `allowUnsignedContainerImage` is set.
 *
 * @param scope the SecureFunction
 * @param props its props
 * @param baseline the stack's code-signing baseline, created only if needed
 */
export function prepareFunctionCode(scope: Construct, props: SecureFunctionProps, baseline: () => CodeSigningBaseline): FunctionCode {
  const where = `SecureFunction ${scope.node.path}:`;
  const kind = codeKind(props);
  if (props.codeSigningConfig && (props.trustedSigningProfiles || props.untrustedArtifactOnDeployment)) {
    throw invalidInput(
      `${where} 'codeSigningConfig'`,
      'cannot be combined with trustedSigningProfiles or untrustedArtifactOnDeployment (the config already decides which profiles are trusted and what happens to untrusted code)',
      'both',
      'put the profiles and the policy into your code-signing config, or drop codeSigningConfig',
    );
  }

  if (kind === 'image') {
    if (!props.allowUnsignedContainerImage) {
      throw invalidInput(
        `${where} 'code'`,
        'is a container image, which Lambda code signing does not cover (rule lambda-code-signing: only signed code deploys)',
        'a container image',
        'package the function as a .zip (lambda.Code.fromAsset(dir)), which is signed at deploy time; or set allowUnsignedContainerImage: true, pin the image by digest and sign it in your pipeline (AWS Signer with Notation)',
      );
    }
    Annotations.of(scope).addWarningV2('cdk-secure-function:unsigned-container-image',
      'allowUnsignedContainerImage: the function runs a container image, which Lambda code signing does not check; its integrity rests on the image digest and your registry.');
    return { code: props.code };
  }

  const enforcement = props.untrustedArtifactOnDeployment ?? lambda.UntrustedArtifactOnDeployment.ENFORCE;
  const userConfig = props.codeSigningConfig ? describeConfig(scope, props.codeSigningConfig) : undefined;
  const enforced = userConfig ? userConfig.enforced : enforcement === lambda.UntrustedArtifactOnDeployment.ENFORCE;
  if (!enforced) {
    Annotations.of(scope).addWarningV2('cdk-secure-function:code-signing-warn-only',
      'Code signing only warns (UntrustedArtifactOnDeployment: Warn): unsigned or untrusted code deploys and is only logged in CloudTrail.');
  }

  if (kind === 'inline') {
    if (enforced) {
      throw invalidInput(
        `${where} 'code'`,
        'is inline code, which cannot be signed, while the code-signing config enforces signatures (rule lambda-code-signing)',
        'lambda.Code.fromInline(...)',
        'put the code in a directory and use lambda.Code.fromAsset(dir): it is signed at deploy time',
      );
    }
    // A config needs at least one publisher: the stack's profile stands in.
    const publishers = [props.signingProfile ?? baseline().profile, ...(props.trustedSigningProfiles ?? [])];
    return { code: props.code, config: props.codeSigningConfig ?? ownConfig(scope, publishers, enforcement) };
  }

  if (kind === 's3') {
    const location = props.code.bind(scope).s3Location!;
    if (location.objectVersion === undefined) {
      throw invalidInput(
        `${where} 'code'`,
        'is an S3 object without an objectVersion; signed code from a pipeline must be pinned to the exact version that was signed (rule lambda-code-signing)',
        `s3://${location.bucketName}/${location.objectKey}`,
        'use lambda.Code.fromBucketV2(bucket, key, { objectVersion }) with the version your signing stage produced',
      );
    }
    if (!props.codeSigningConfig && !props.trustedSigningProfiles?.length) {
      throw invalidInput(
        `${where} 'trustedSigningProfiles'`,
        'must name the profile that signed the S3 object (pre-signed code is checked against it; the stack\'s own profile never signed it)',
        'none',
        'pass trustedSigningProfiles: [signer.SigningProfile.fromSigningProfileAttributes(...)] for your pipeline\'s profile, or a codeSigningConfig that allows it',
      );
    }
    const trusted = props.trustedSigningProfiles ?? [];
    // Asset layers are signed with the function's signingProfile or the stack's, which the config must allow.
    const layerSalts = enforced ? signLayers(scope, props.layers ?? [], {
      profile: () => props.signingProfile ?? baseline().profile,
      codeSigning: baseline,
      allows: userConfig ? userConfig.allows : (profile) => includesProfile(scope, trusted, profile),
      configProp: userConfig ? 'the signingProfiles of codeSigningConfig' : 'trustedSigningProfiles',
    }) : [];
    return {
      code: props.code,
      config: props.codeSigningConfig ?? ownConfig(scope, trusted, enforcement),
      versionSalt: layerSalts.length ? layerSalts.join('|') : undefined,
    };
  }

  // A .zip asset: sign it at deploy time.
  const codeSigning = baseline();
  const profile = props.signingProfile ?? codeSigning.profile;
  if (userConfig) {
    userConfig.requireAllowed(profile);
  }
  const signed = signAsset(scope, props.code, profile, codeSigning);
  const publishers = [profile, ...(props.trustedSigningProfiles ?? [])];
  let config = props.codeSigningConfig;
  if (!config) {
    const shared = publishers.length === 1 && profile === codeSigning.profile && enforced;
    config = shared ? codeSigning.config : ownConfig(scope, publishers, enforcement);
  }
  // Asset layers are signed like the function's asset, with the same profile.
  const layerSalts = enforced ? signLayers(scope, props.layers ?? [], {
    profile: () => profile,
    codeSigning: baseline,
    allows: userConfig ? userConfig.allows : (candidate) => includesProfile(scope, publishers, candidate),
    configProp: userConfig ? 'the signingProfiles of codeSigningConfig' : 'trustedSigningProfiles',
  }) : [];
  const identity = props.signingProfile ? props.signingProfile.node.path : codeSigning._profileIdentity;
  return { code: signed.code, config, versionSalt: [`${signed.sourceKey}|${identity}`, ...layerSalts].join('|') };
}

function codeKind(props: SecureFunctionProps): CodeKind {
  if (props.runtime === lambda.Runtime.FROM_IMAGE || props.handler === lambda.Handler.FROM_IMAGE) {
    return 'image';
  }
  if (props.code instanceof lambda.InlineCode) {
    return 'inline';
  }
  return props.code instanceof lambda.AssetCode ? 'asset' : 's3';
}

function ownConfig(
  scope: Construct,
  profiles: signer.ISigningProfile[],
  enforcement: lambda.UntrustedArtifactOnDeployment,
): lambda.ICodeSigningConfig {
  return new lambda.CodeSigningConfig(scope, 'CodeSigningConfig', {
    description: `Code integrity of SecureFunction ${scope.node.path}`,
    signingProfiles: profiles,
    untrustedArtifactOnDeployment: enforcement,
  });
}

/**
 * Stages the asset and returns code that points at its signed package, pinned to
 * the signed object's version. Functions of the stack that deploy the same
 * asset with the same profile share one signing step; a new version is
 * published whenever the asset or the profile changes.
 */
function signAsset(scope: Construct, code: lambda.Code, profile: signer.ISigningProfile, codeSigning: CodeSigningBaseline) {
  const source = code.bind(scope).s3Location!;
  const signed = codeSigning.signer.sign(source, profile);
  return {
    code: lambda.Code.fromBucketV2(signed.bucket, signed.objectKey, { objectVersion: signed.objectVersion }),
    sourceKey: JSON.stringify(Stack.of(scope).resolve(source.objectKey)),
  };
}

/** Whether `profiles` name `profile`'s version (the config's publishers are profile versions). */
function includesProfile(scope: Construct, profiles: signer.ISigningProfile[], profile: signer.ISigningProfile): boolean {
  const stack = Stack.of(scope);
  const wanted = JSON.stringify(stack.resolve(profile.signingProfileVersionArn));
  return profiles.some((candidate) => JSON.stringify(stack.resolve(candidate.signingProfileVersionArn)) === wanted);
}

/** What can be read from a code-signing config defined in the app. */
interface ConfigView {
  readonly enforced: boolean;
  allows(profile: signer.ISigningProfile): boolean;
  requireAllowed(profile: signer.ISigningProfile): void;
}

/**
 * Reads a user's code-signing config when it is defined in the app (an imported
 * one cannot be read, and is trusted to enforce and to allow the profile).
 */
function describeConfig(scope: Construct, config: lambda.ICodeSigningConfig): ConfigView {
  const child = config.node.defaultChild;
  if (!CfnResource.isCfnResource(child) || child.cfnResourceType !== lambda.CfnCodeSigningConfig.CFN_RESOURCE_TYPE_NAME) {
    return { enforced: true, allows: () => true, requireAllowed: () => undefined };
  }
  const cfn = child as lambda.CfnCodeSigningConfig;
  const stack = Stack.of(scope);
  const policies = stack.resolve(cfn.codeSigningPolicies) as { untrustedArtifactOnDeployment?: string } | undefined;
  const publishers = stack.resolve(cfn.allowedPublishers) as { signingProfileVersionArns?: unknown[] };
  const allowed = (publishers.signingProfileVersionArns ?? []).map((arn) => JSON.stringify(arn));
  const allows = (profile: signer.ISigningProfile) => allowed.includes(JSON.stringify(stack.resolve(profile.signingProfileVersionArn)));
  return {
    enforced: policies?.untrustedArtifactOnDeployment === undefined
      ? false // Lambda's default for a config without policies is Warn
      : policies.untrustedArtifactOnDeployment !== 'Warn',
    allows,
    requireAllowed: (profile) => {
      if (!allows(profile)) {
        throw invalidInput(
          `SecureFunction ${scope.node.path}: 'codeSigningConfig'`,
          `must allow the profile that signs the asset at deploy time (${profile.node.path}), or Lambda refuses the signed package`,
          `${allowed.length} other profile(s)`,
          'add that profile to the config\'s signingProfiles, or pass signingProfile: one the config allows',
        );
      }
    },
  };
}
