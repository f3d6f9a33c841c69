import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { GuardSuppressions } from '../../src';
import { CATALOG } from '../../src/rules/catalog';

function plainFunction(scope: Stack, id: string): lambda.Function {
  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') });
}

describe('GuardSuppressions', () => {
  test('writes only acknowledged catalog ids, keeps what was there, and names every rule on CDK provider functions', () => {
    const app = new App();
    const stack = new Stack(app, 'Meta');
    const fn = plainFunction(stack, 'Fn');
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    cfn.addMetadata('guard', { SuppressedRules: ['LAMBDA_INSIDE_VPC_CHECK'] });
    Validations.of(fn).acknowledge(
      { id: 'lambda-tracing', reason: 'sampled by the platform agent' },
      { id: 'SecureFunction-lambda-dlq', reason: 'synchronous only' },
      { id: 'AwsSolutions::AwsSolutions-L1', reason: 'not a catalog rule' },
    );
    // ec2.Vpc brings CDK's default-security-group provider function.
    new ec2.Vpc(stack, 'Vpc', { restrictDefaultSecurityGroup: true, natGateways: 0, maxAzs: 1, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    GuardSuppressions.applyTo(app);
    GuardSuppressions.applyTo(app);
    const template = app.synth().getStackByName('Meta').template;
    expect(template.Resources[stack.getLogicalId(cfn)].Metadata.guard).toEqual({ SuppressedRules: ['LAMBDA_INSIDE_VPC_CHECK', 'lambda-dlq', 'lambda-tracing'] });
    const provider = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r !== template.Resources[stack.getLogicalId(cfn)]);
    expect(provider.Metadata.guard.SuppressedRules).toEqual(CATALOG.map((r) => r.id).sort());
    const role = Object.entries<any>(template.Resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('FnServiceRole'))![1];
    expect(role.Metadata?.guard?.SuppressedRules).toEqual(['lambda-dlq', 'lambda-tracing']);
  });
});
