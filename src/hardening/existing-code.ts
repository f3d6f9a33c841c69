import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { CodeSource, SignedCode } from '../signing/function-code';

/**
 * Where an existing function's code comes from, read from its resource: inline
 * code (its text and runtime), a container image, a .zip asset the app stages (NodejsFunction's
 * esbuild output, GoFunction's go build, Code.fromAsset: found as the asset
 * whose bucket and key the function names), or an S3 object put there by a
 * pipeline.
 */
export function existingCodeSource(cfn: lambda.CfnFunction): CodeSource {
  const stack = Stack.of(cfn);
  const code = stack.resolve(cfn.code) as lambda.CfnFunction.CodeProperty;
  if (code.zipFile !== undefined) {
    return { kind: 'inline', text: code.zipFile, runtime: String(stack.resolve(cfn.runtime)) };
  }
  if (code.imageUri !== undefined || cfn.packageType === 'Image') {
    return { kind: 'image' };
  }
  const bucket = JSON.stringify(code.s3Bucket);
  const key = JSON.stringify(code.s3Key);
  const asset = stack.node.findAll().find((c): c is s3assets.Asset => c instanceof s3assets.Asset
    && JSON.stringify(stack.resolve(c.s3ObjectKey)) === key && JSON.stringify(stack.resolve(c.s3BucketName)) === bucket);
  if (asset) {
    return { kind: 'asset', location: { bucketName: asset.s3BucketName, objectKey: asset.s3ObjectKey } };
  }
  const unresolved = cfn.code as lambda.CfnFunction.CodeProperty;
  return { kind: 's3', location: { bucketName: unresolved.s3Bucket!, objectKey: unresolved.s3Key!, objectVersion: unresolved.s3ObjectVersion } };
}

/**
 * Points the function at what signing decided: the signed copy of its asset,
 * and the code-signing config that checks it.
 */
export function applySignedCode(cfn: lambda.CfnFunction, signed: SignedCode): void {
  const asset = signed.signedAsset;
  if (asset) {
    // Inline code (ZipFile) became the asset that was signed: the function no longer carries it.
    const { zipFile: _inline, ...code } = cfn.code as lambda.CfnFunction.CodeProperty;
    cfn.code = { ...code, s3Bucket: asset.bucket.bucketName, s3Key: asset.objectKey, s3ObjectVersion: asset.objectVersion };
  }
  if (signed.config) {
    cfn.codeSigningConfigArn = signed.config.codeSigningConfigArn;
  }
}
