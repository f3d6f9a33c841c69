import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../examples/app';

describe('examples/app.ts', () => {
  test('synthesizes a SecureFunction invoked by an EventBridge schedule through its alias', () => {
    const { stack } = buildExampleApp();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: 10,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ DB_SECRET_ARN: { Ref: Match.stringLikeRegexp('^DbCredentials') } }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^OrdersAlias') } })] });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { Ref: Match.stringLikeRegexp('^OrdersAlias') },
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProcessOrdersSchedule'), 'Arn'] },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2); // Secrets Manager and SSM, nothing else
  });

  test('deploys the Orders code through its signing step, under the enforcing config', () => {
    const { stack } = buildExampleApp();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Code: Match.objectLike({ S3Key: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerSignedCode'), 'Key'] } }),
      CodeSigningConfigArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningConfig'), 'CodeSigningConfigArn'] },
    });
    template.hasResourceProperties('AWS::Lambda::CodeSigningConfig', { CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' } });
  });
});
