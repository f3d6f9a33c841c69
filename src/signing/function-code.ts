import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct } from 'constructs';
import { CodeSigningBaseline } from './code-signing-baseline';
import { SignedPackage } from './deploy-time-signer';
import { checkInlineRuntime, inlineCodeAsset } from './inline-code';
import { signLayers } from './layer-signing';
import { checkCodeSigningRegion, requireCodeSigningRegion } from './signer-regions';
import { invalidInput } from '../cfn/errors';
import { codeSigning as codeSigningRule } from '../rules/lambda/lambda-code-signing';
import { cite } from '../rules/rule';

/** What a function deploys, and the config that checks its signature. */
export interface FunctionCode {
  /** The code the function points at: the signed package for assets. */
  readonly code: lambda.Code;
  /** The code-signing config, absent only for an accepted container image. */
  readonly config?: lambda.ICodeSigningConfig;
  /** What a new version depends on beyond the function's own properties. */
  readonly versionSalt?: string;
}

/** Where a function's code comes from, as far as signing is concerned. */
export type CodeSource =
  /** A .zip asset CDK stages: signed at deploy time. */
  | { readonly kind: 'asset'; readonly location: s3.Location }
  /** An S3 object a pipeline put there: taken as signed. */
  | { readonly kind: 's3'; readonly location: s3.Location }
  /** Inline code (ZipFile): staged as an asset of the file Lambda would write, then signed like one. */
  | { readonly kind: 'inline'; readonly text: string; readonly runtime: string }
  | { readonly kind: 'image' };

/** The signing choices of a function; the names are SecureFunction's props. */
export interface SigningChoices {
  readonly codeSigningConfig?: lambda.ICodeSigningConfig;
  readonly signingProfile?: signer.ISigningProfile;
  readonly trustedSigningProfiles?: signer.ISigningProfile[];
  readonly untrustedArtifactOnDeployment?: lambda.UntrustedArtifactOnDeployment;
  readonly allowUnsignedContainerImage?: boolean;
  /** The function's layers: asset layers are signed like its code. */
  readonly layers?: lambda.ILayerVersion[];
}

/** A function's code and how it runs it (SecureFunction's props of those names), with its signing choices. */
export interface CodeChoices extends SigningChoices {
  readonly runtime: lambda.Runtime;
  readonly handler: string;
  readonly code: lambda.Code;
}

/** What signing decided: where the function's code is, and what checks it. */
export interface SignedCode {
  /** The signed copy of an asset, which the function must point at; none for other code. */
  readonly signedAsset?: SignedPackage;
  /** The code-signing config, absent only for an accepted container image. */
  readonly config?: lambda.ICodeSigningConfig;
  /** What a new version depends on beyond the function's own properties. */
  readonly versionSalt?: string;
}

/**
 * A SecureFunction's code, signed (see `signFunctionCode`).
 *
 * @param scope the SecureFunction
 * @param props its code, runtime, handler and signing choices
 * @param baseline the stack's code-signing baseline, created only if needed
 */
export function prepareFunctionCode(scope: Construct, props: CodeChoices, baseline: () => CodeSigningBaseline): FunctionCode {
  const source = codeSource(scope, props);
  const signed = signFunctionCode(scope, `SecureFunction ${scope.node.path}:`, source, props, baseline);
  const asset = signed.signedAsset;
  const code = asset ? lambda.Code.fromBucketV2(asset.bucket, asset.objectKey, { objectVersion: asset.objectVersion }) : props.code;
  return { code, config: signed.config, versionSalt: signed.versionSalt };
}

/**
 * Refuses code that cannot be signed or checked, before anything is built: a
 * config combined with the choices it decides itself, a container image
 * without the opt-in, .zip code in a region known to offer no code signing,
 * inline code for a runtime that takes none, an S3 object without its version
 * or the profile that signed it.
 *
 * @param scope where a user's config is read from
 * @param where how errors name the function, e.g. 'SecureFunction App/Fn:'
 */
export function checkSigning(scope: Construct, where: string, source: CodeSource, props: SigningChoices): void {
  if (props.codeSigningConfig && (props.trustedSigningProfiles || props.untrustedArtifactOnDeployment)) {
    throw invalidInput(
      `${where} 'codeSigningConfig'`,
      'cannot be combined with trustedSigningProfiles or untrustedArtifactOnDeployment (the config already decides which profiles are trusted and what happens to untrusted code)',
      'both',
      'put the profiles and the policy into your code-signing config, or drop codeSigningConfig',
    );
  }
  if (source.kind === 'image') {
    if (!props.allowUnsignedContainerImage) {
      throw invalidInput(
        `${where} 'code'`,
        `is a container image, which Lambda code signing does not cover (${cite(codeSigningRule)}: only signed code deploys)`,
        'a container image',
        'package the function as a .zip (lambda.Code.fromAsset(dir)), which is signed at deploy time; or set allowUnsignedContainerImage: true, pin the image by digest and sign it in your pipeline (AWS Signer with Notation)',
      );
    }
    return;
  }
  checkCodeSigningRegion(scope, where);
  if (props.codeSigningConfig) {
    describeConfig(scope, where, props.codeSigningConfig);
  }
  if (source.kind === 'inline') {
    checkInlineRuntime(where, source.runtime);
  }
  if (source.kind === 's3') {
    const location = source.location;
    if (location.objectVersion === undefined) {
      throw invalidInput(
        `${where} 'code'`,
        `is an S3 object without an objectVersion; signed code from a pipeline must be pinned to the exact version that was signed (${cite(codeSigningRule)})`,
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
  }
}

/**
 * Decides how a function's code is signed and checked:
 * - a .zip asset is signed at deploy time by the stack's signer, and the
 *   function points at the signed package;
 * - an S3 object (`Code.fromBucketV2` with `objectVersion`) is taken as signed by
 *   a pipeline; no job runs and the config must trust the pipeline's profile;
 * - inline code is staged as an asset of the file Lambda would write
 *   (index.js, index.py) and signed like one;
 * - container images are outside Lambda code signing, refused unless the
 *   named opt-in `allowUnsignedContainerImage` is set.
 *
 * @param scope the construct that owns the config and is named in errors
 * @param where how errors name it, e.g. 'SecureFunction App/Fn:'
 * @param source where the code comes from
 * @param props the signing choices
 * @param baseline the stack's code-signing baseline, created only if needed
 */
export function signFunctionCode(
  scope: Construct, where: string, source: CodeSource, props: SigningChoices, baseline: () => CodeSigningBaseline,
): SignedCode {
  checkSigning(scope, where, source, props);
  const kind = source.kind;
  if (kind === 'image') {
    Annotations.of(scope).addWarningV2('cdk-secure-function:unsigned-container-image',
      'allowUnsignedContainerImage: the function runs a container image, which Lambda code signing does not check; its integrity rests on the image digest and your registry.');
    return {};
  }
  requireCodeSigningRegion(scope, where);

  const enforcement = props.untrustedArtifactOnDeployment ?? lambda.UntrustedArtifactOnDeployment.ENFORCE;
  const userConfig = props.codeSigningConfig ? describeConfig(scope, where, props.codeSigningConfig) : undefined;
  const enforced = userConfig ? userConfig.enforced : enforcement === lambda.UntrustedArtifactOnDeployment.ENFORCE;
  if (!enforced) {
    Annotations.of(scope).addWarningV2('cdk-secure-function:code-signing-warn-only',
      'Code signing only warns (UntrustedArtifactOnDeployment: Warn): unsigned or untrusted code deploys and is only logged in CloudTrail.');
  }

  if (kind === 's3') {
    const trusted = props.trustedSigningProfiles ?? [];
    // Asset layers are signed with the function's signingProfile or the stack's, which the config must allow.
    const layerSalts = enforced ? signLayers(scope, props.layers ?? [], {
      profile: () => props.signingProfile ?? baseline().profile,
      codeSigning: baseline,
      allows: userConfig ? userConfig.allows : (profile) => includesProfile(scope, trusted, profile),
      configProp: userConfig ? 'the signingProfiles of codeSigningConfig' : 'trustedSigningProfiles',
    }) : [];
    return {
      config: props.codeSigningConfig ?? ownConfig(scope, where, trusted, enforcement),
      versionSalt: layerSalts.length ? layerSalts.join('|') : undefined,
    };
  }

  // A .zip asset (inline code staged as one): sign it at deploy time.
  const location = kind === 'inline' ? inlineLocation(scope, source.text, source.runtime) : source.location;
  const codeSigning = baseline();
  const profile = props.signingProfile ?? codeSigning.profile;
  if (userConfig) {
    userConfig.requireAllowed(profile);
  }
  const signed = codeSigning.signer.sign(location, profile);
  const publishers = [profile, ...(props.trustedSigningProfiles ?? [])];
  let config = props.codeSigningConfig;
  if (!config) {
    const shared = publishers.length === 1 && profile === codeSigning.profile && enforced;
    config = shared ? codeSigning.config : ownConfig(scope, where, publishers, enforcement);
  }
  // Asset layers are signed like the function's asset, with the same profile.
  const layerSalts = enforced ? signLayers(scope, props.layers ?? [], {
    profile: () => profile,
    codeSigning: baseline,
    allows: userConfig ? userConfig.allows : (candidate) => includesProfile(scope, publishers, candidate),
    configProp: userConfig ? 'the signingProfiles of codeSigningConfig' : 'trustedSigningProfiles',
  }) : [];
  const identity = props.signingProfile ? props.signingProfile.node.path : codeSigning._profileIdentity;
  const sourceKey = JSON.stringify(Stack.of(scope).resolve(location.objectKey));
  return {
    signedAsset: signed,
    config,
    versionSalt: [`${sourceKey}|${identity}`, ...layerSalts].join('|'),
  };
}

/** Where a SecureFunction's code comes from. */
function codeSource(scope: Construct, props: CodeChoices): CodeSource {
  if (props.runtime === lambda.Runtime.FROM_IMAGE || props.handler === lambda.Handler.FROM_IMAGE) {
    return { kind: 'image' };
  }
  if (props.code instanceof lambda.InlineCode) {
    return { kind: 'inline', text: props.code.bind(scope).inlineCode!, runtime: props.runtime.name };
  }
  const location = props.code.bind(scope).s3Location!;
  return props.code instanceof lambda.AssetCode ? { kind: 'asset', location } : { kind: 's3', location };
}

function inlineLocation(scope: Construct, text: string, runtime: string): s3.Location {
  const asset = inlineCodeAsset(scope, text, runtime);
  return { bucketName: asset.s3BucketName, objectKey: asset.s3ObjectKey };
}

function ownConfig(
  scope: Construct,
  where: string,
  profiles: signer.ISigningProfile[],
  enforcement: lambda.UntrustedArtifactOnDeployment,
): lambda.ICodeSigningConfig {
  return new lambda.CodeSigningConfig(scope, 'CodeSigningConfig', {
    description: `Code integrity of ${where.replace(/:$/, '')}`,
    signingProfiles: profiles,
    untrustedArtifactOnDeployment: enforcement,
  });
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
function describeConfig(scope: Construct, where: string, config: lambda.ICodeSigningConfig): ConfigView {
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
          `${where} 'codeSigningConfig'`,
          `must allow the profile that signs the asset at deploy time (${profile.node.path}), or Lambda refuses the signed package`,
          `${allowed.length} other profile(s)`,
          'add that profile to the config\'s signingProfiles, or pass signingProfile: one the config allows',
        );
      }
    },
  };
}
