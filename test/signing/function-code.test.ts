import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as signer from 'aws-cdk-lib/aws-signer';
import { SecureFunction, SecureFunctionProps, SecurityBaseline } from '../../src';
import { assetWith, HANDLER_ASSET, minimalProps, newStack, testOwned } from '../support/fixtures';


function pipelineProfile(stack: Stack): signer.ISigningProfile {
  return signer.SigningProfile.fromSigningProfileAttributes(testOwned(stack), 'PipelineProfile', {
    signingProfileName: 'build_stage_profile',
    signingProfileVersion: 'v1AbCdEf',
  });
}

function preSignedCode(stack: Stack, objectVersion?: string): lambda.Code {
  const bucket = s3.Bucket.fromBucketName(testOwned(stack), 'ArtifactBucket', 'pipeline-signed-artifacts');
  return lambda.Code.fromBucketV2(bucket, 'orders/1.4.2.zip', objectVersion ? { objectVersion } : {});
}

function versionLogicalId(stack: Stack): string {
  const versions = Template.fromStack(stack).findResources('AWS::Lambda::Version');
  return Object.keys(versions).find((id) => id.startsWith('FnFunctionCurrentVersion'))!;
}

function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
}

describe('code signing: a .zip asset is signed at deploy time', () => {
  test('the function references the config and deploys the signing step\'s output, pinned to its version', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const signedCode = Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerSignedCode');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      CodeSigningConfigArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningConfig'), 'CodeSigningConfigArn'] },
      Code: {
        S3Bucket: { 'Fn::GetAtt': [signedCode, 'Bucket'] },
        S3Key: { 'Fn::GetAtt': [signedCode, 'Key'] },
        S3ObjectVersion: { 'Fn::GetAtt': [signedCode, 'Version'] },
        SourceKMSKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] },
      },
    });
  });

  test('the signing step signs the staged asset object with the stack profile into the signed-code prefix', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const profile = Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningProfile');
    const stagingBucket = { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' };
    Template.fromStack(stack).hasResource('Custom::SignedLambdaCode', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerFunction'), 'Arn'] },
        SourceBucket: stagingBucket,
        SourceKey: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$'),
        DestinationBucket: stagingBucket,
        DestinationPrefix: 'signed-code/',
        ProfileName: { 'Fn::GetAtt': [profile, 'ProfileName'] },
        ProfileVersionArn: { 'Fn::GetAtt': [profile, 'ProfileVersionArn'] },
        MaxWaitSeconds: '240',
        ServiceTimeout: '900',
      },
      DependsOn: [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerServiceRolePolicy')],
    });
  });

  test('a change of code means a new signing step input and a new version; the same code keeps both', () => {
    const build = (body: string) => {
      const stack = newStack();
      new SecureFunction(stack, 'Fn', minimalProps({ code: assetWith(body) }));
      const step = Template.fromStack(stack).findResources('Custom::SignedLambdaCode');
      return { key: Object.values(step)[0].Properties.SourceKey, version: versionLogicalId(stack) };
    };
    const v1 = build('exports.handler = async () => 1;');
    const v1Again = build('exports.handler = async () => 1;');
    const v2 = build('exports.handler = async () => 2;');
    expect(v1Again).toEqual(v1);
    expect(v2.key).not.toEqual(v1.key);
    expect(v2.version).not.toEqual(v1.version);
  });


  test('functions deploying the same package share one signing step; other code or another profile get their own', () => {
    const stack = newStack();
    const bundle = assetWith('exports.a = async () => 1; exports.b = async () => 2;');
    new SecureFunction(stack, 'A', minimalProps({ code: bundle, handler: 'index.a' }));
    new SecureFunction(stack, 'B', minimalProps({ code: bundle, handler: 'index.b' }));
    new SecureFunction(stack, 'C', minimalProps({ code: assetWith('exports.handler = async () => 3;') }));
    const own = new signer.SigningProfile(testOwned(stack), 'TeamProfile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    new SecureFunction(stack, 'D', minimalProps({ code: bundle, handler: 'index.a', signingProfile: own }));
    const template = Template.fromStack(stack);
    const steps = template.findResources('Custom::SignedLambdaCode');
    expect(Object.keys(steps)).toHaveLength(3);
    const stepOf = (fn: string) => {
      const [resource] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(`${fn}Function`));
      return resource[1].Properties.Code.S3Key['Fn::GetAtt'][0] as string;
    };
    expect(stepOf('B')).toBe(stepOf('A'));
    expect(new Set([stepOf('A'), stepOf('C'), stepOf('D')]).size).toBe(3);
    expect(Object.keys(steps).sort()).toEqual([stepOf('A'), stepOf('C'), stepOf('D')].sort());
    // The shared step's functions still get a version each, and new ones when the package changes.
    expect(Object.keys(template.findResources('AWS::Lambda::Version')).filter((id) => /^[AB]FunctionCurrentVersion/.test(id))).toHaveLength(2);
  });

  test('the signer may read each distinct staged package once, whatever the number of functions deploying it', () => {
    const stack = newStack();
    const bundle = assetWith('exports.a = async () => 1;');
    for (const id of ['A', 'B', 'C']) {
      new SecureFunction(stack, id, minimalProps({ code: bundle, handler: 'index.a' }));
    }
    const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
    const reads = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => JSON.stringify(st.Action) === JSON.stringify(['s3:GetObject', 's3:GetObjectVersion']));
    expect(reads).toHaveLength(1);
  });
});

describe('code signing: bring your own profile or config', () => {
  test('a function\'s own signing profile signs its asset and gets a config of its own', () => {
    const stack = newStack();
    const own = new signer.SigningProfile(testOwned(stack), 'TeamProfile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    new SecureFunction(stack, 'Fn', minimalProps({ signingProfile: own }));
    const template = Template.fromStack(stack);
    const ownProfile = Match.stringLikeRegexp('^TestOwnedTeamProfile');
    template.hasResourceProperties('Custom::SignedLambdaCode', { ProfileName: { 'Fn::GetAtt': [ownProfile, 'ProfileName'] } });
    template.hasResourceProperties('AWS::Lambda::CodeSigningConfig', {
      AllowedPublishers: { SigningProfileVersionArns: [{ 'Fn::GetAtt': [ownProfile, 'ProfileVersionArn'] }] },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      CodeSigningConfigArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnCodeSigningConfig'), 'CodeSigningConfigArn'] },
    });
  });

  test('trusted pipeline profiles join the signing profile in a config of the function\'s own', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ trustedSigningProfiles: [pipelineProfile(stack)] }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::CodeSigningConfig', {
      AllowedPublishers: {
        SigningProfileVersionArns: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningProfile'), 'ProfileVersionArn'] },
          Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        ],
      },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    });
  });

  test('an enforcing config defined in the app that allows the signing profile is used as is', () => {
    const stack = newStack();
    const profile = SecurityBaseline.of(stack).codeSigning.profile;
    const config = new lambda.CodeSigningConfig(testOwned(stack), 'OrgConfig', {
      signingProfiles: [profile],
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
    });
    new SecureFunction(stack, 'Fn', minimalProps({ codeSigningConfig: config }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      CodeSigningConfigArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TestOwnedOrgConfig'), 'CodeSigningConfigArn'] },
    });
    expect(warnings(stack).filter((w) => w.includes('Code signing only warns'))).toEqual([]);
  });

  test('a config defined in the app that does not allow the signing profile is an error', () => {
    const stack = newStack();
    const config = new lambda.CodeSigningConfig(testOwned(stack), 'OrgConfig', {
      signingProfiles: [pipelineProfile(stack)],
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
    });
    expect(() => new SecureFunction(stack, 'Fn', minimalProps({ codeSigningConfig: config })))
      .toThrow(/'codeSigningConfig' must allow the profile that signs the asset at deploy time .*Fix: add that profile/);
  });

  test('a config defined in the app that only warns (CDK\'s default) is reported', () => {
    const stack = newStack();
    const config = new lambda.CodeSigningConfig(testOwned(stack), 'OrgConfig', { signingProfiles: [SecurityBaseline.of(stack).codeSigning.profile] });
    new SecureFunction(stack, 'Fn', minimalProps({ codeSigningConfig: config }));
    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('Code signing only warns'));
  });

  test('an imported config is used and trusted to allow the profile', () => {
    const stack = newStack();
    const arn = 'arn:aws:lambda:eu-west-1:111111111111:code-signing-config:csc-0123456789abcdef0';
    new SecureFunction(stack, 'Fn', minimalProps({ codeSigningConfig: lambda.CodeSigningConfig.fromCodeSigningConfigArn(stack, 'Org', arn) }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { CodeSigningConfigArn: arn });
  });

  test('codeSigningConfig with trustedSigningProfiles or untrustedArtifactOnDeployment is an error', () => {
    const stack = newStack();
    const config = lambda.CodeSigningConfig.fromCodeSigningConfigArn(stack, 'Org', 'arn:aws:lambda:eu-west-1:111111111111:code-signing-config:csc-0123456789abcdef0');
    expect(() => new SecureFunction(stack, 'A', minimalProps({ codeSigningConfig: config, trustedSigningProfiles: [pipelineProfile(stack)] })))
      .toThrow(/'codeSigningConfig' cannot be combined with trustedSigningProfiles or untrustedArtifactOnDeployment/);
    expect(() => new SecureFunction(stack, 'B', minimalProps({ codeSigningConfig: config, untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.WARN })))
      .toThrow(/cannot be combined/);
  });

  test('WARN is a named opt-in: the function gets its own warning config and the relaxation is reported', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.WARN }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::CodeSigningConfig', { CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' } });
    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('Code signing only warns'));
  });
});

test('layers are reported: Lambda checks their signatures against the same config', () => {
  const stack = newStack();
  const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:eu-west-1:111111111111:layer:shared:3');
  new SecureFunction(stack, 'Fn', minimalProps({ layers: [layer] }));
  Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('each of the 1 layer\\(s\\) must be signed by a profile the code-signing config allows'));
});

describe('code signing: code signed by a pipeline', () => {
  test('a versioned S3 object with the pipeline profile deploys as is, without a signing step', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ code: preSignedCode(stack, 'v3.Lb1'), trustedSigningProfiles: [pipelineProfile(stack)] }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::SignedLambdaCode', 0);
    template.resourceCountIs('AWS::Lambda::Function', 2); // the function and CDK's default-security-group provider: no signer
    template.hasResourceProperties('AWS::Lambda::Function', {
      Code: Match.objectLike({ S3Bucket: 'pipeline-signed-artifacts', S3Key: 'orders/1.4.2.zip', S3ObjectVersion: 'v3.Lb1' }),
      CodeSigningConfigArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnCodeSigningConfig'), 'CodeSigningConfigArn'] },
    });
    template.hasResourceProperties('AWS::Lambda::CodeSigningConfig', {
      AllowedPublishers: { SigningProfileVersionArns: [Match.objectLike({ 'Fn::Join': Match.anyValue() })] },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    });
  });

  test('an S3 object without objectVersion is an error', () => {
    const stack = newStack();
    expect(() => new SecureFunction(stack, 'Fn', minimalProps({ code: preSignedCode(stack), trustedSigningProfiles: [pipelineProfile(stack)] })))
      .toThrow(/'code' is an S3 object without an objectVersion.*got s3:\/\/pipeline-signed-artifacts\/orders\/1.4.2.zip\. Fix: use lambda.Code.fromBucketV2/);
  });

  test('an S3 object without the profile that signed it is an error', () => {
    const stack = newStack();
    expect(() => new SecureFunction(stack, 'Fn', minimalProps({ code: preSignedCode(stack, 'v3.Lb1') })))
      .toThrow(/'trustedSigningProfiles' must name the profile that signed the S3 object/);
  });
});

describe('code signing: inline code', () => {
  /** The files of the asset a SecureFunction's signing step signs, and the function's code. */
  function signedInline(stack: Stack, props: Partial<SecureFunctionProps>): { files: Record<string, string>; template: Template } {
    const fn = new SecureFunction(stack, 'Fn', minimalProps(props));
    const asset = fn.node.findAll().find((c): c is s3assets.Asset => c instanceof s3assets.Asset && c.node.id === 'InlineCode')!;
    const dir = path.resolve(Stage.of(stack)!.outdir, asset.assetPath);
    const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const template = Template.fromStack(stack);
    const [step] = Object.values(template.findResources('Custom::SignedLambdaCode'));
    expect(step.Properties.SourceKey).toEqual(stack.resolve(asset.s3ObjectKey));
    return { files, template };
  }

  test.each([
    ['Node.js', lambda.Runtime.NODEJS_24_X, 'index.handler', 'exports.handler = async () => 1;', 'index.js'],
    ['Python', lambda.Runtime.PYTHON_3_15, 'index.handler', 'def handler(event, context):\n    return 1\n', 'index.py'],
  ])('%s inline code becomes the file Lambda would write, staged as an asset and signed at deploy time', (_name, runtime, handler, text, file) => {
    const stack = newStack();
    const { files, template } = signedInline(stack, { runtime, handler, code: lambda.Code.fromInline(text) });
    expect(files).toEqual({ [file]: text });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: handler,
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.anyValue(), S3ObjectVersion: Match.anyValue() },
      CodeSigningConfigArn: Match.anyValue(),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('ZipFile');
  });

  test('under the WARN opt-in, inline code is still signed, and the relaxation reported', () => {
    const stack = newStack();
    const { template } = signedInline(stack, {
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.WARN,
    });
    template.hasResourceProperties('AWS::Lambda::CodeSigningConfig', { CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' } });
    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('Code signing only warns'));
  });

  test('inline code for a runtime that takes none is a synth error naming the runtime and the fix', () => {
    const stack = newStack();
    expect(() => new SecureFunction(stack, 'Fn', minimalProps({ runtime: lambda.Runtime.JAVA_21, handler: 'App::handle', code: lambda.Code.fromInline('class App {}') })))
      .toThrow(/'code' is inline code, which Lambda runs only for Node.js and Python runtimes.*got inline code for runtime 'java21'. Fix: put the code in a directory and use lambda.Code.fromAsset\(dir\)/);
  });
});

describe('code signing: code outside Lambda code signing', () => {
  test('a container image is a synth error that names the opt-in', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(testOwned(stack), 'Repo', 'orders');
    expect(() => new SecureFunction(stack, 'Fn', {
      runtime: lambda.Runtime.FROM_IMAGE,
      handler: lambda.Handler.FROM_IMAGE,
      code: lambda.Code.fromEcrImage(repository, { tagOrDigest: 'sha256:' + 'a'.repeat(64) }),
    })).toThrow(/'code' is a container image, which Lambda code signing does not cover.*allowUnsignedContainerImage: true/);
  });

  test('a container image under allowUnsignedContainerImage has no config and is reported', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(testOwned(stack), 'Repo', 'orders');
    new SecureFunction(stack, 'Fn', {
      runtime: lambda.Runtime.FROM_IMAGE,
      handler: lambda.Handler.FROM_IMAGE,
      code: lambda.Code.fromEcrImage(repository, { tagOrDigest: 'sha256:' + 'a'.repeat(64) }),
      allowUnsignedContainerImage: true,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      CodeSigningConfigArn: Match.absent(),
      Code: { ImageUri: Match.anyValue() },
    });
    template.resourceCountIs('AWS::Lambda::CodeSigningConfig', 0);
    Annotations.fromStack(stack).hasWarning('/Test/Fn', Match.stringLikeRegexp('allowUnsignedContainerImage'));
  });
});

test('the fixture asset really is an asset (signed path), not inline code', () => {
  expect(minimalProps().code).toBeInstanceOf(lambda.AssetCode);
  expect(fs.existsSync(path.join(HANDLER_ASSET, 'index.js'))).toBe(true);
});
