import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct } from 'constructs';
import { SecureFunction, SecurityBaseline } from '../../src';
import { assetWith, HANDLER_ASSET, minimalProps, newStack, testOwned } from '../support/fixtures';

const SIGNED_CODE = Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerSignedCode');

function assetLayer(stack: Stack, id = 'Deps', code: lambda.Code = assetWith('module.exports = {};')): lambda.LayerVersion {
  return new lambda.LayerVersion(testOwned(stack), id, { code });
}

function importedLayer(stack: Stack): lambda.ILayerVersion {
  return lambda.LayerVersion.fromLayerVersionArn(testOwned(stack), 'Shared', 'arn:aws:lambda:eu-west-1:111111111111:layer:shared:3');
}

function pipelineProfile(stack: Stack): signer.ISigningProfile {
  return signer.SigningProfile.fromSigningProfileAttributes(testOwned(stack), 'PipelineProfile', {
    signingProfileName: 'build_stage_profile',
    signingProfileVersion: 'v1AbCdEf',
  });
}

function preSignedCode(stack: Stack): lambda.Code {
  const bucket = s3.Bucket.fromBucketName(testOwned(stack), 'ArtifactBucket', 'pipeline-signed-artifacts');
  return lambda.Code.fromBucketV2(bucket, 'orders/1.4.2.zip', { objectVersion: 'v3.Lb1' });
}

/** The logical id of each signing step, by the staged object it signs. */
function stepsBySourceKey(stack: Stack): Record<string, string> {
  const steps = Template.fromStack(stack).findResources('Custom::SignedLambdaCode');
  return Object.fromEntries(Object.entries(steps).map(([id, step]) => [step.Properties.SourceKey as string, id]));
}

function layerContent(stack: Stack): any {
  const layers = Template.fromStack(stack).findResources('AWS::Lambda::LayerVersion');
  expect(Object.keys(layers)).toHaveLength(1);
  return Object.values(layers)[0].Properties.Content;
}

function functionCodeStep(stack: Stack, fn: string): string {
  const [resource] = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(`${fn}Function`));
  return resource[1].Properties.Code.S3Key['Fn::GetAtt'][0];
}

function layerWarnings(stack: Stack): unknown[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('layers-must-be-signed'));
}

describe('code signing: asset layers are signed at deploy time', () => {
  test('an asset layer gets a signing step of its staged asset, and deploys the signed package pinned to its version', () => {
    const stack = newStack();
    const layer = assetLayer(stack);
    const layerKey = stack.resolve((layer.node.defaultChild as lambda.CfnLayerVersion).content).s3Key as string;

    new SecureFunction(stack, 'Fn', minimalProps({ layers: [layer] }));

    const stagingBucket = { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' };
    Template.fromStack(stack).hasResourceProperties('Custom::SignedLambdaCode', {
      SourceBucket: stagingBucket,
      SourceKey: layerKey,
      DestinationPrefix: 'signed-code/',
      ProfileVersionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningProfile'), 'ProfileVersionArn'] },
    });
    const step = stepsBySourceKey(stack)[layerKey];
    expect(layerContent(stack)).toEqual({
      S3Bucket: { 'Fn::GetAtt': [step, 'Bucket'] },
      S3Key: { 'Fn::GetAtt': [step, 'Key'] },
      S3ObjectVersion: { 'Fn::GetAtt': [step, 'Version'] },
    });
  });

  test('the function\'s own code is still signed, by its own step', () => {
    const stack = newStack();
    const layer = assetLayer(stack);
    const layerKey = stack.resolve((layer.node.defaultChild as lambda.CfnLayerVersion).content).s3Key as string;

    new SecureFunction(stack, 'Fn', minimalProps({ layers: [layer] }));

    const steps = stepsBySourceKey(stack);
    expect(Object.keys(steps)).toHaveLength(2);
    expect(functionCodeStep(stack, 'Fn')).toMatch(/^SecureFunctionBaselineCodeSigningSignerSignedCode/);
    expect(functionCodeStep(stack, 'Fn')).not.toBe(steps[layerKey]);
  });

  test('a signed asset layer is not reported as unsigned', () => {
    const stack = newStack();

    new SecureFunction(stack, 'Fn', minimalProps({ layers: [assetLayer(stack)] }));

    expect(layerWarnings(stack)).toHaveLength(0);
  });

  test('two functions sharing a layer sign it once', () => {
    const stack = newStack();
    const layer = assetLayer(stack);
    const layerKey = stack.resolve((layer.node.defaultChild as lambda.CfnLayerVersion).content).s3Key as string;

    new SecureFunction(stack, 'A', minimalProps({ code: assetWith('exports.handler = async () => 1;'), layers: [layer] }));
    new SecureFunction(stack, 'B', minimalProps({ code: assetWith('exports.handler = async () => 2;'), layers: [layer] }));

    // Two function packages and one layer.
    const steps = Template.fromStack(stack).findResources('Custom::SignedLambdaCode');
    expect(Object.values(steps).map((step) => step.Properties.SourceKey).filter((key) => key === layerKey)).toHaveLength(1);
    expect(Object.keys(steps)).toHaveLength(3);
    expect(layerContent(stack).S3Key).toEqual({ 'Fn::GetAtt': [stepsBySourceKey(stack)[layerKey], 'Key'] });
  });

  test('a layer with the same asset as the function\'s code shares its signing step', () => {
    const stack = newStack();
    const code = lambda.Code.fromAsset(HANDLER_ASSET);
    const layer = assetLayer(stack, 'SameAsCode', code);

    new SecureFunction(stack, 'Fn', minimalProps({ code, layers: [layer] }));

    Template.fromStack(stack).resourceCountIs('Custom::SignedLambdaCode', 1);
    expect(layerContent(stack).S3Key).toEqual({ 'Fn::GetAtt': [functionCodeStep(stack, 'Fn'), 'Key'] });
  });

  test('a change of the layer\'s asset means a new function version', () => {
    const versionOf = (body: string) => {
      const stack = newStack();
      new SecureFunction(stack, 'Fn', minimalProps({ layers: [assetLayer(stack, 'Deps', assetWith(body))] }));
      const versions = Template.fromStack(stack).findResources('AWS::Lambda::Version');
      return Object.keys(versions).find((id) => id.startsWith('FnFunctionCurrentVersion'));
    };
    expect(versionOf('module.exports = 1;')).toEqual(versionOf('module.exports = 1;'));
    expect(versionOf('module.exports = 2;')).not.toEqual(versionOf('module.exports = 1;'));
  });

  test('a layer imported by ARN is reported, and gets no signing step', () => {
    const stack = newStack();

    new SecureFunction(stack, 'Fn', minimalProps({ layers: [importedLayer(stack)] }));

    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp(
      'signs only asset layers of this stack.*Test/TestOwned/Shared \\(arn:aws:lambda:eu-west-1:111111111111:layer:shared:3\\).*each of the 1 layer\\(s\\) must be signed by a profile the code-signing config allows'));
    Template.fromStack(stack).resourceCountIs('Custom::SignedLambdaCode', 1); // the function's code only
  });

  test('a layer from a bucket object is reported and left as is', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(testOwned(stack), 'LayerBucket', 'team-layers');
    const layer = new lambda.LayerVersion(testOwned(stack), 'FromBucket', { code: lambda.Code.fromBucketV2(bucket, 'deps.zip') });

    new SecureFunction(stack, 'Fn', minimalProps({ layers: [layer] }));

    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('FromBucket \\(not a staged asset\\)'));
    expect(layerContent(stack)).toEqual({ S3Bucket: 'team-layers', S3Key: 'deps.zip' });
  });

  test('an asset layer of another stack is reported and left to that stack', () => {
    const stack = newStack();
    const other = new Stack(stack.node.scope as Construct, 'Layers');
    const layer = assetLayer(other);

    new SecureFunction(stack, 'Fn', minimalProps({ layers: [layer] }));

    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('Layers/TestOwned/Deps \\(defined in another stack, whose signer must sign it\\)'));
    expect(layerContent(other).S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
  });

  test('only the layers that are not assets are reported', () => {
    const stack = newStack();

    new SecureFunction(stack, 'Fn', minimalProps({ layers: [assetLayer(stack), importedLayer(stack)] }));

    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp(': Test/TestOwned/Shared \\([^)]*\\); each of the 1 layer\\(s\\)'));
  });

  test('with code signing that only warns, layers are neither signed nor reported', () => {
    const stack = newStack();

    new SecureFunction(stack, 'Fn', minimalProps({
      layers: [assetLayer(stack), importedLayer(stack)],
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.WARN,
    }));

    Template.fromStack(stack).resourceCountIs('Custom::SignedLambdaCode', 1);
    expect(layerWarnings(stack)).toHaveLength(0);
  });

  test('a layer signed for one function, used by a function whose config refuses that profile, is an error', () => {
    const stack = newStack();
    const layer = assetLayer(stack);
    const team = new signer.SigningProfile(testOwned(stack), 'TeamProfile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    new SecureFunction(stack, 'A', minimalProps({ layers: [layer] }));

    expect(() => new SecureFunction(stack, 'B', minimalProps({ layers: [layer], signingProfile: team })))
      .toThrow(/SecureFunction Test\/B: 'layers' must be signed by a profile the code-signing config allows: layer Test\/TestOwned\/Deps .*Fix: add Test\/SecureFunctionBaseline\/CodeSigning\/Profile to trustedSigningProfiles/);
  });
});

describe('code signing: asset layers of pre-signed code', () => {
  test('are signed with the stack\'s profile when the function trusts it', () => {
    const stack = newStack();
    const stackProfile = SecurityBaseline.of(stack).codeSigning.profile;

    new SecureFunction(stack, 'Fn', minimalProps({
      code: preSignedCode(stack), layers: [assetLayer(stack)], trustedSigningProfiles: [pipelineProfile(stack), stackProfile],
    }));

    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::SignedLambdaCode', 1);
    template.hasResourceProperties('AWS::Lambda::LayerVersion', { Content: { S3Bucket: { 'Fn::GetAtt': [SIGNED_CODE, 'Bucket'] } } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Code: Match.objectLike({ S3Bucket: 'pipeline-signed-artifacts', S3Key: 'orders/1.4.2.zip', S3ObjectVersion: 'v3.Lb1' }),
    });
  });

  test('are an error when the config does not allow the profile that would sign them', () => {
    const stack = newStack();

    expect(() => new SecureFunction(stack, 'Fn', minimalProps({
      code: preSignedCode(stack), layers: [assetLayer(stack)], trustedSigningProfiles: [pipelineProfile(stack)],
    }))).toThrow(/'layers' must be signed by a profile the code-signing config allows: layer Test\/TestOwned\/Deps .*Fix: add .* to trustedSigningProfiles \(the stack's profile is SecurityBaseline.of\(this\).codeSigning.profile\)/);
  });

  test('are an error when the user\'s config does not allow the profile, naming the config', () => {
    const stack = newStack();
    const config = new lambda.CodeSigningConfig(testOwned(stack), 'Config', {
      signingProfiles: [pipelineProfile(stack)],
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
    });

    expect(() => new SecureFunction(stack, 'Fn', minimalProps({ code: preSignedCode(stack), layers: [assetLayer(stack)], codeSigningConfig: config })))
      .toThrow(/'layers' must be signed .*Fix: add .* to the signingProfiles of codeSigningConfig/);
  });
});
