import { App, Mixins, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { LambdaHardening, SecureFunction, SecurityBaseline } from '../../src';
import { CODE_SIGNING_REGION_RULE, CODE_SIGNING_UNAVAILABLE } from '../../src/signing/signer-regions';
import { assetWith, HANDLER_ASSET, minimalProps, newStack, testOwned } from '../support/fixtures';

const UNAVAILABLE = [
  'ap-east-2', 'ap-northeast-3', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7', 'ca-west-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-2',
  'eu-south-2', 'il-central-1', 'me-central-1', 'mx-central-1',
];

function stackIn(region: string): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region } });
}

function imageProps(stack: Stack) {
  const repository = ecr.Repository.fromRepositoryName(testOwned(stack), 'Repo', 'orders');
  return {
    runtime: lambda.Runtime.FROM_IMAGE,
    handler: lambda.Handler.FROM_IMAGE,
    code: lambda.Code.fromEcrImage(repository, { tagOrDigest: 'sha256:' + 'a'.repeat(64) }),
    allowUnsignedContainerImage: true,
  };
}

function preSignedProps(stack: Stack) {
  const bucket = s3.Bucket.fromBucketName(testOwned(stack), 'ArtifactBucket', 'pipeline-signed-artifacts');
  const profile = signer.SigningProfile.fromSigningProfileAttributes(testOwned(stack), 'PipelineProfile', {
    signingProfileName: 'build_stage_profile',
    signingProfileVersion: 'v1AbCdEf',
  });
  return minimalProps({
    code: lambda.Code.fromBucketV2(bucket, 'orders/1.4.2.zip', { objectVersion: 'v1' }),
    trustedSigningProfiles: [profile],
  });
}

describe('an env-specific stack: decided at synthesis', () => {
  test('in a region without AWS Signer, a SecureFunction is an error naming the region, the rule and the nearest regions', () => {
    const stack = stackIn('ap-southeast-7');
    expect(() => new SecureFunction(stack, 'Fn', minimalProps())).toThrow(
      /^SecureFunction Test\/Fn: the stack's region must offer AWS Signer and Lambda code signing, which sign and check \.zip code \(rule lambda-code-signing: only signed code deploys\), got 'ap-southeast-7', which offers neither\. Fix: deploy the stack to a region that offers them \(nearest: ap-southeast-1\), or package the function as a container image \(allowUnsignedContainerImage: true\)/,
    );
  });

  test('the error is a SecureFunction validation error', () => {
    const stack = stackIn('eu-central-2');
    expect(() => new SecureFunction(stack, 'Fn', minimalProps())).toThrow(expect.objectContaining({
      name: 'SecureFunctionValidationError',
      message: expect.stringContaining('nearest: eu-central-1, eu-south-1'),
    }));
  });

  test('in a partition where no region offers it, the fix is a container image only', () => {
    const stack = stackIn('cn-north-1');
    expect(() => new SecureFunction(stack, 'Fn', minimalProps())).toThrow(
      /got 'cn-north-1', which offers neither\. Fix: no region of this partition offers them: package the function as a container image/,
    );
  });

  test('pre-signed S3 code, which gets its own code-signing config, is refused there too', () => {
    const stack = stackIn('ap-south-2');
    expect(() => new SecureFunction(stack, 'Fn', preSignedProps(stack))).toThrow(/got 'ap-south-2', which offers neither.*nearest: ap-south-1/);
  });

  test('LambdaHardening refuses a .zip function there, naming the function', () => {
    const stack = stackIn('mx-central-1');
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) });
    expect(() => Mixins.of(stack).apply(new LambdaHardening())).toThrow(/^LambdaHardening Test\/Fn: the stack's region .*got 'mx-central-1'.*nearest: us-east-2, us-west-1/);
  });

  test('an accepted container image, which needs no code signing, synthesizes there', () => {
    const stack = stackIn('ap-southeast-7');
    new SecureFunction(stack, 'Fn', imageProps(stack));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Signer::SigningProfile', 0);
    template.resourceCountIs('AWS::Lambda::CodeSigningConfig', 0);
  });

  test('a container image that reads DynamoDB through a gateway endpoint is refused: the prefix-list lookup is signed', () => {
    const stack = stackIn('ap-southeast-7');
    const fn = new SecureFunction(stack, 'Fn', imageProps(stack));
    const table = new dynamodb.Table(testOwned(stack), 'Data', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(() => table.grantReadData(fn)).toThrow(
      /^CodeSigningBaseline Test\/SecureFunctionBaseline\/CodeSigning: the stack's region .*got 'ap-southeast-7'.*reach those through interface endpoints \(SecurityBaseline interfaceEndpointsForS3AndDynamoDb: true\)$/,
    );
  });

  test('with interface endpoints for S3 and DynamoDB, that container image synthesizes there', () => {
    const stack = stackIn('ap-southeast-7');
    new SecurityBaseline(stack, 'Baseline', { interfaceEndpointsForS3AndDynamoDb: true });
    const fn = new SecureFunction(stack, 'Fn', imageProps(stack));
    new dynamodb.Table(testOwned(stack), 'Data', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }).grantReadData(fn);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Signer::SigningProfile', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.ap-southeast-7.dynamodb' });
  });

  test.each(['us-east-1', 'eu-west-1', 'me-south-1', 'us-gov-west-1'])('in %s, which offers it, the function is signed and no assertion is added', (region) => {
    const stack = stackIn(region);
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Signer::SigningProfile', 1);
    template.resourceCountIs('AWS::Lambda::CodeSigningConfig', 1);
    expect(template.toJSON().Rules?.[CODE_SIGNING_REGION_RULE]).toBeUndefined();
  });
});

describe('an env-agnostic stack: decided at deployment by a Rules assertion', () => {
  test('a SecureFunction\'s stack asserts that AWS::Region is none of the regions without code signing', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const rule = Template.fromStack(stack).toJSON().Rules[CODE_SIGNING_REGION_RULE];
    expect(rule).toEqual({
      Assertions: [{
        Assert: { 'Fn::Not': [{ 'Fn::Contains': [UNAVAILABLE, { Ref: 'AWS::Region' }] }] },
        AssertDescription: expect.stringMatching(/rule lambda-code-signing.*not offered in ap-east-2, .*, mx-central-1\. Deploy this stack to a region that offers them, or use container images \(allowUnsignedContainerImage: true\) and reach S3 and DynamoDB through interface endpoints \(SecurityBaseline interfaceEndpointsForS3AndDynamoDb: true\)\.$/),
      }],
    });
  });

  test('two functions share one assertion', () => {
    const stack = newStack();
    new SecureFunction(stack, 'A', minimalProps());
    new SecureFunction(stack, 'B', minimalProps({ code: assetWith('exports.handler = async () => "b";') }));
    const rules = Template.fromStack(stack).toJSON().Rules;
    expect(Object.keys(rules).filter((id) => id.startsWith('SecureFunction'))).toEqual([CODE_SIGNING_REGION_RULE]);
  });

  test('pre-signed S3 code, with its own config and no stack profile, carries the assertion', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', preSignedProps(stack));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Signer::SigningProfile', 0);
    expect(template.toJSON().Rules[CODE_SIGNING_REGION_RULE]).toBeDefined();
  });

  test('an accepted container image, which needs no code signing, adds no assertion', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', imageProps(stack));
    expect(Template.fromStack(stack).toJSON().Rules?.[CODE_SIGNING_REGION_RULE]).toBeUndefined();
  });
});

describe('the region table', () => {
  test('it lists exactly the regions without code signing', () => {
    expect(Object.keys(CODE_SIGNING_UNAVAILABLE)).toEqual(UNAVAILABLE);
  });

  test('every nearest region is a region AWS has and offers code signing', () => {
    const known = RegionInfo.regions.map((r) => r.name);
    for (const nearest of Object.values(CODE_SIGNING_UNAVAILABLE).flat()) {
      expect(known).toContain(nearest);
      expect(UNAVAILABLE).not.toContain(nearest);
    }
  });

  // A tripwire for aws-cdk-lib upgrades: its CloudFormation validator knows
  // which resource types each region has. When it disagrees, read the sources
  // named in src/signing/signer-regions.ts again and update the table.
  test('it agrees with aws-cdk-lib\'s CloudFormation validator on every region aws-cdk-lib knows', () => {
    const missingIn = (region: string): boolean => {
      const stack = stackIn(region);
      const profile = new signer.CfnSigningProfile(stack, 'Profile', { platformId: 'AWSLambda-SHA384-ECDSA' });
      new lambda.CfnCodeSigningConfig(stack, 'Config', { allowedPublishers: { signingProfileVersionArns: [profile.attrProfileVersionArn] } });
      try {
        Template.fromStack(stack);
        return false;
      } catch (error) {
        const text = String(error);
        const missing = [`'AWS::Signer::SigningProfile' does not exist in '${region}'`, `'AWS::Lambda::CodeSigningConfig' does not exist in '${region}'`];
        if (missing.every((m) => text.includes(m))) {
          return true;
        }
        throw error;
      }
    };
    const disagree = RegionInfo.regions.map((r) => r.name)
      .filter((region) => missingIn(region) !== UNAVAILABLE.includes(region));
    expect(disagree).toEqual([]);
  });
});
