import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TEST_OWNED } from './conformance';
import { SecureFunctionProps } from '../../src';

/** A .zip asset: what SecureFunction signs at deploy time. */
export const HANDLER_ASSET = path.join(__dirname, 'handler');

/** The smallest valid SecureFunction props. */
export function minimalProps(overrides: Partial<SecureFunctionProps> = {}): SecureFunctionProps {
  return {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(HANDLER_ASSET),
    ...overrides,
  };
}

/** A scope for resources the test builds itself; findings on them do not count. */
export function testOwned(stack: Stack): Construct {
  return (stack.node.tryFindChild(TEST_OWNED) as Construct | undefined) ?? new Construct(stack, TEST_OWNED);
}

/** A user VPC with isolated subnets in two AZs, owned by the test. */
export function userVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(testOwned(stack), 'UserVpc', {
    maxAzs: 2,
    natGateways: 0,
    // The test's own VPC: keep CDK's default-security-group provider out of the
    // stack, so that every provider function left is one SecureFunction brought.
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/** A stack named 'Test' in a bare App. */
export function newStack(): Stack {
  return new Stack(new App(), 'Test');
}

/** A fresh .zip asset whose content (and so hash) is `body`. */
export function assetWith(body: string): lambda.Code {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-function-asset-'));
  fs.writeFileSync(path.join(dir, 'index.js'), body);
  return lambda.Code.fromAsset(dir);
}
