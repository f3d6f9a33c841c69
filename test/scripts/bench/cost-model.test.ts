import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { interfaceEndpoints, monthlyCost, PRICES, totalMonthly } from '../../../scripts/bench/cost-model';
import { SecureFunction } from '../../../src';
import { minimalProps, newStack } from '../../support/fixtures';

describe('the benchmark cost model', () => {
  test('one SecureFunction without secrets costs a key and seven alarms: $1.70, no endpoint', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack).toJSON();
    expect(monthlyCost(template)).toEqual([
      { item: 'KMS keys', count: 1, monthly: PRICES.kmsKey },
      { item: 'CloudWatch alarms', count: 7, monthly: 7 * PRICES.alarm },
    ]);
    expect(totalMonthly(template)).toBe(1.7);
    expect(interfaceEndpoints(template)).toEqual([]);
  });

  test('a secret adds its price and one Secrets Manager endpoint in two AZs', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ secrets: { DB_SECRET_ARN: new secretsmanager.Secret(stack, 'Db') } }));
    const template = Template.fromStack(stack).toJSON();
    expect(monthlyCost(template)).toEqual(expect.arrayContaining([
      { item: 'interface endpoint AZs', count: 2, monthly: 2 * PRICES.interfaceEndpointPerAz },
      { item: 'Secrets Manager secrets', count: 1, monthly: PRICES.secret },
    ]));
    expect(totalMonthly(template)).toBe(16.7);
  });

  test('a plain function in a default VPC across three AZs pays for three NAT gateways and their public IPs', () => {
    const env = { account: '111111111111', region: 'us-east-1' };
    const app = new App({ context: { [`availability-zones:account=${env.account}:region=${env.region}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'] } });
    const stack = new Stack(app, 'Plain', { env });
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), vpc: new ec2.Vpc(stack, 'Vpc') });
    const template = Template.fromStack(stack).toJSON();
    expect(monthlyCost(template)).toEqual([
      { item: 'NAT gateways', count: 3, monthly: 3 * PRICES.natGateway },
      { item: 'public IPv4 addresses', count: 3, monthly: 3 * PRICES.publicIpv4 },
    ]);
    expect(totalMonthly(template)).toBe(109.5);
  });
});
