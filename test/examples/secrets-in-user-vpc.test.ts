import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildSecretsInUserVpcApp } from '../../examples/secrets-in-user-vpc';

describe('examples/secrets-in-user-vpc.ts', () => {
  test('both functions run in the team VPC\'s isolated subnets; one endpoint, reachable only by the reader', () => {
    const { stack, reader, worker } = buildSecretsInUserVpcApp();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1); // the team's: no baseline VPC
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('secretsmanager')])] }),
      VpcId: { Ref: Match.stringLikeRegexp('^TeamVpc') },
      PrivateDnsEnabled: true,
    });
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { VpcConfig: Match.anyValue(), Handler: 'index.handler' } });
    const subnetSets = Object.values(functions).map((f) => JSON.stringify(f.Properties.VpcConfig.SubnetIds));
    expect(new Set(subnetSets).size).toBe(1);
    expect(subnetSets[0]).toMatch(/TeamVpcIsolatedSubnet1/);
    // The reader's role may read exactly the secret; the worker's may not.
    // Every policy of the role: the code's grants are in its code policy, bound to the function.
    const policyOf = (fn: typeof reader) => JSON.stringify(Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Roles ?? []).includes(stack.getLogicalId(fn.role!.node.defaultChild as any)))
      .map((p) => p.Properties.PolicyDocument));
    expect(policyOf(reader)).toContain('secretsmanager:GetSecretValue');
    expect(policyOf(worker)).not.toContain('secretsmanager');
  });
});
