import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SecureFunction, SecurityBaseline } from '../../src';
import { CODE_SIGNING_REGION_RULE } from '../../src/signing/signer-regions';
import { assetWith, minimalProps, newStack } from '../support/fixtures';

function versionLogicalId(stack: ReturnType<typeof newStack>): string {
  const versions = Template.fromStack(stack).findResources('AWS::Lambda::Version');
  return Object.keys(versions).find((id) => id.startsWith('FnFunctionCurrentVersion'))!;
}

describe('the stack\'s code-signing baseline', () => {
  test('the stack gets a Lambda signing profile with a one-year signature validity', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::Signer::SigningProfile', {
      PlatformId: 'AWSLambda-SHA384-ECDSA',
      SignatureValidityPeriod: { Type: 'DAYS', Value: 365 },
    });
  });

  test('the stack gets a code-signing config that allows exactly that profile and enforces', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::CodeSigningConfig', {
      AllowedPublishers: { SigningProfileVersionArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningProfile'), 'ProfileVersionArn'] }] },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    });
  });

  test('renaming the signing profile (its rotation) publishes a new version', () => {
    const build = (signingProfileName: string) => {
      const stack = newStack();
      new SecurityBaseline(stack, 'Baseline', { signingProfileName });
      new SecureFunction(stack, 'Fn', minimalProps());
      Template.fromStack(stack).hasResourceProperties('AWS::Signer::SigningProfile', { ProfileName: signingProfileName });
      return versionLogicalId(stack);
    };
    expect(build('orders_2026')).not.toEqual(build('orders_2027'));
  });

  test('a signing profile name Signer would refuse is an error', () => {
    const stack = newStack();
    expect(() => {
      new SecurityBaseline(stack, 'Baseline', { signingProfileName: 'orders-2027' });
      new SecureFunction(stack, 'Fn', minimalProps());
    }).toThrow(/'signingProfileName' must be 2 to 64 letters, digits or underscores \(AWS Signer profile names\), got 'orders-2027'/);
  });

  test('two functions share one profile, one config and one signer', () => {
    const stack = newStack();
    new SecureFunction(stack, 'A', minimalProps());
    new SecureFunction(stack, 'B', minimalProps({ code: assetWith('exports.handler = async () => "b";') }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Signer::SigningProfile', 1);
    template.resourceCountIs('AWS::Lambda::CodeSigningConfig', 1);
    template.resourceCountIs('Custom::SignedLambdaCode', 2);
    expect(Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('AWS Signer') } }))).toHaveLength(1);
  });

  test('the signature validity can be chosen on the baseline', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { signatureValidity: Duration.days(90) });
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::Signer::SigningProfile', { SignatureValidityPeriod: { Type: 'DAYS', Value: 90 } });
  });

  test('in a region without AWS Signer, the baseline is an error naming itself and the region', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'ap-southeast-3' } });
    const baseline = new SecurityBaseline(stack, 'Baseline');
    expect(() => baseline.codeSigning).toThrow(/^CodeSigningBaseline Test\/Baseline\/CodeSigning: the stack's region must offer AWS Signer and Lambda code signing.*got 'ap-southeast-3'.*nearest: ap-southeast-1\), or if its functions are container images/);
  });

  test('in an env-agnostic stack, the baseline alone brings the region assertion', () => {
    const stack = newStack();
    const { codeSigning } = new SecurityBaseline(stack, 'Baseline');
    expect(codeSigning.node.path).toBe('Test/Baseline/CodeSigning');
    expect(Template.fromStack(stack).toJSON().Rules[CODE_SIGNING_REGION_RULE].Assertions).toHaveLength(1);
  });
});
