import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SecureFunction } from 'cdk-secure-function';

/**
 * A team that already has a VPC: two functions in its isolated subnets, one
 * reading the database credentials. The Secrets Manager endpoint is created
 * once, in the team's VPC, and only the function with the grant can reach it.
 */
export function buildSecretsInUserVpcApp(app: App = new App()): { app: App; stack: Stack; reader: SecureFunction; worker: SecureFunction } {
  const stack = new Stack(app, 'SecretsInUserVpc');
  const vpc = new ec2.Vpc(stack, 'TeamVpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const credentials = new secretsmanager.Secret(stack, 'DbCredentials', { description: 'Credentials of the reports database' });
  const code = lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders'));

  const reader = new SecureFunction(stack, 'ReportReader', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code,
    vpc,
    secrets: { DB_SECRET_ARN: credentials },
  });
  const worker = new SecureFunction(stack, 'ReportWorker', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code,
    vpc,
  });
  return { app, stack, reader, worker };
}

if (require.main === module) {
  buildSecretsInUserVpcApp().app.synth();
}
