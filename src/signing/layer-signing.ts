import { Annotations, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct, IConstruct } from 'constructs';
import { CodeSigningBaseline } from './code-signing-baseline';
import { StagedObject } from './deploy-time-signer';
import { invalidInput } from '../cfn/errors';

/** How the layers of one function are signed, and what its config allows. */
export interface LayerSigningOptions {
  /** The profile that signs a layer no other function has signed yet. */
  readonly profile: () => signer.ISigningProfile;
  /** The stack's code signing (its signer signs the layers). */
  readonly codeSigning: () => CodeSigningBaseline;
  /** Whether the function's code-signing config allows `profile`. */
  readonly allows: (profile: signer.ISigningProfile) => boolean;
  /** Where the user adds a profile to the config, for error messages. */
  readonly configProp: string;
}

/** A layer the stack's signer signed: with which profile, from which staged object. */
interface SignedLayer {
  readonly profile: signer.ISigningProfile;
  readonly salt: string;
}

/**
 * What was decided for each layer resource, so that a layer several functions use
 * is signed once: the profile it was signed with, or `false` for a layer that is
 * not a staged asset of its stack.
 */
const decided = new WeakMap<CfnResource, SignedLayer | false>();

/**
 * Signs the asset layers of a function at deploy time, each once whatever the
 * number of functions using it: the stack's signer signs the staged asset, and
 * the layer version deploys the signed package, pinned to its S3 version (the
 * layer depends on the signing step through its attributes). Layers that are not
 * assets of the function's stack (imported by ARN, S3 objects, other stacks) are
 * reported: they must be signed by a profile the config allows.
 *
 * @param scope the SecureFunction
 * @param layers its layers
 * @param options the profile and what the function's config allows
 * @returns what a new version of the function depends on: each signed layer's asset and profile
 */
export function signLayers(scope: Construct, layers: lambda.ILayerVersion[], options: LayerSigningOptions): string[] {
  const stack = Stack.of(scope);
  const unsigned: string[] = [];
  const salts: string[] = [];
  for (const layer of layers) {
    const resource = layer.node.defaultChild;
    if (!CfnResource.isCfnResource(resource) || resource.cfnResourceType !== lambda.CfnLayerVersion.CFN_RESOURCE_TYPE_NAME) {
      unsigned.push(Token.isUnresolved(layer.layerVersionArn) ? layer.node.path : `${layer.node.path} (${layer.layerVersionArn})`);
      continue;
    }
    if (Stack.of(resource) !== stack) {
      unsigned.push(`${layer.node.path} (defined in another stack, whose signer must sign it)`);
      continue;
    }
    let signed = decided.get(resource);
    if (signed === undefined) {
      const source = stagedAsset(resource as lambda.CfnLayerVersion);
      signed = source ? signLayer(scope, layer, resource as lambda.CfnLayerVersion, source, options) : false;
      decided.set(resource, signed);
    }
    if (!signed) {
      unsigned.push(`${layer.node.path} (not a staged asset)`);
      continue;
    }
    requireAllowed(scope, layer, signed.profile, options);
    salts.push(`${layer.node.path}=${signed.salt}`);
  }
  if (unsigned.length) {
    Annotations.of(scope).addWarningV2('cdk-secure-function:layers-must-be-signed',
      `Lambda checks the signature of every layer too, and the stack's signer signs only asset layers of this stack (lambda.LayerVersion with lambda.Code.fromAsset): ${unsigned.join(', ')}; each of the ${unsigned.length} layer(s) must be signed by a profile the code-signing config allows (sign it in your pipeline and add that publisher to trustedSigningProfiles), or the deployment fails with "Lambda cannot deploy the function. The function or layer might be signed using a signature that the client is not configured to accept".`);
  }
  return salts;
}

function signLayer(
  scope: Construct,
  layer: lambda.ILayerVersion,
  resource: lambda.CfnLayerVersion,
  source: StagedObject,
  options: LayerSigningOptions,
): SignedLayer {
  const profile = options.profile();
  // Before the signer exists: a config that refuses the profile is an error, not a signing step.
  requireAllowed(scope, layer, profile, options);
  const codeSigning = options.codeSigning();
  const signed = codeSigning.signer.sign(source, profile);
  resource.content = {
    ...(resource.content as lambda.CfnLayerVersion.ContentProperty),
    s3Bucket: signed.bucket.bucketName,
    s3Key: signed.objectKey,
    s3ObjectVersion: signed.objectVersion,
  };
  const identity = profile === codeSigning.profile ? codeSigning._profileIdentity : profile.node.path;
  return { profile, salt: `${JSON.stringify(Stack.of(scope).resolve(source.objectKey))}|${identity}` };
}

/**
 * The staged .zip asset the layer's content points at, if it does: an asset of
 * the layer's stack (in the bootstrap staging bucket, or the synthesizer's)
 * with the same bucket and key, and no object version.
 */
function stagedAsset(resource: lambda.CfnLayerVersion): StagedObject | undefined {
  const content = resource.content;
  if (Token.isUnresolved(content)) {
    return undefined;
  }
  const location = content as lambda.CfnLayerVersion.ContentProperty;
  if (location.s3ObjectVersion !== undefined) {
    return undefined;
  }
  const stack = Stack.of(resource);
  const wanted = JSON.stringify(stack.resolve([location.s3Bucket, location.s3Key]));
  // The asset usually belongs to the layer (the code was bound to it first), else to a function or layer sharing it.
  const candidates = [resource.node.scope?.node.tryFindChild('Code'), ...stack.node.findAll()];
  for (const candidate of candidates) {
    if (isZipAsset(candidate) && Stack.of(candidate) === stack
      && JSON.stringify(stack.resolve([candidate.s3BucketName, candidate.s3ObjectKey])) === wanted) {
      return { bucketName: candidate.s3BucketName, objectKey: candidate.s3ObjectKey };
    }
  }
  return undefined;
}

/** A staged file asset (`s3_assets.Asset`) of a directory, recognized by shape. */
interface ZipAsset extends IConstruct {
  readonly s3BucketName: string;
  readonly s3ObjectKey: string;
  readonly assetHash: string;
  readonly isZipArchive: boolean;
}

function isZipAsset(x: IConstruct | undefined): x is ZipAsset {
  const asset = x as Partial<ZipAsset> | undefined;
  return asset?.isZipArchive === true && typeof asset.s3BucketName === 'string'
    && typeof asset.s3ObjectKey === 'string' && typeof asset.assetHash === 'string';
}

function requireAllowed(scope: Construct, layer: lambda.ILayerVersion, profile: signer.ISigningProfile, options: LayerSigningOptions): void {
  if (options.allows(profile)) {
    return;
  }
  throw invalidInput(
    `SecureFunction ${scope.node.path}: 'layers'`,
    `must be signed by a profile the code-signing config allows: layer ${layer.node.path} is an asset the stack's signer signs with profile ${profile.node.path} (once, for every function using it), and Lambda would refuse it`,
    'a config that does not allow that profile',
    `add ${profile.node.path} to ${options.configProp} (the stack's profile is SecurityBaseline.of(this).codeSigning.profile), or sign this function's asset with that profile (signingProfile), or give the function a layer of its own`,
  );
}
