import { App, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureFunction, SecureFunctionProps } from '../../src';
import { acknowledgedIds, findAcknowledgment } from '../../src/rules/acknowledgments';
import { minimalProps } from '../support/fixtures';

function build(wire: (stack: Stack, fn: SecureFunction) => void, props: Partial<SecureFunctionProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const fn = new SecureFunction(stack, 'Fn', minimalProps(props));
  wire(stack, fn);
  stack.node.root.node.findAll(); // construction done
  (stack.node.root as App).synth();
  // The code's grants, and the acknowledgments of their wildcards, are in its code policy (bound to the function).
  const policy = fn.node.findChild('CodePolicy');
  return { stack, policy };
}

describe('wildcards AWS requires are acknowledged, naming what they cover', () => {
  test('a bucket\'s objects and a key prefix of it, naming the bucket', () => {
    const { policy } = build((stack, fn) => {
      const bucket = new s3.Bucket(stack, 'Data');
      bucket.grantRead(fn);
      bucket.grantPut(fn, 'results/*');
    });
    const ids = [...acknowledgedIds(policy)].filter((id) => id.includes('IAM5'));
    expect(ids).toEqual(expect.arrayContaining([
      expect.stringMatching(/IAM5\[Resource::<Data[0-9A-F]+\.Arn>\/\*\]$/),
      expect.stringMatching(/IAM5\[Resource::<Data[0-9A-F]+\.Arn>\/results\/\*\]$/),
    ]));
    const ack = findAcknowledgment(ids.find((id) => id.endsWith('/results/*]'))!, policy);
    expect(ack?.reason).toMatch(/children of AWS::S3::Bucket Test\/Data\/Resource only \(its objects\): s3:AbortMultipartUpload, s3:PutObject,/);
  });

  test('the connections of a WebSocket API stage (POST, GET, DELETE on each), in an environment-agnostic stack too', () => {
    const { policy } = build((stack, fn) => {
      const api = new apigwv2.WebSocketApi(stack, 'Messages');
      new apigwv2.WebSocketStage(stack, 'Prod', { webSocketApi: api, stageName: 'prod' }).grantManagementApiAccess(fn);
    }, { servicesWithoutEndpoint: ['execute-api'] });
    const ids = [...acknowledgedIds(policy)].filter((id) => id.includes('IAM5'));
    expect(ids).toEqual([expect.stringMatching(/IAM5\[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Messages[0-9A-F]+>\/prod\/\*\/@connections\/\*\]$/)]);
    expect(findAcknowledgment(ids[0], policy)?.reason).toMatch(/children of AWS::ApiGatewayV2::Api Test\/Messages\/Resource only \(the connections of one of its stages, each reached by POST, GET or DELETE\): execute-api:ManageConnections/);
  });

  test('not a method wildcard beside a WebSocket API\'s connections of every stage', () => {
    const { policy } = build((stack, fn) => {
      const api = new apigwv2.WebSocketApi(stack, 'Messages');
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [`arn:aws:execute-api:eu-west-1:111111111111:${api.apiId}/*/*/@connections/*`] }));
    }, { servicesWithoutEndpoint: ['execute-api'] });
    expect([...acknowledgedIds(policy)].filter((id) => id.includes('IAM5'))).toEqual([]);
  });

  const describeParameters = () => new iam.PolicyStatement({ actions: ['ssm:DescribeParameters'], resources: ['*'] });

  test('actions AWS authorizes on * only (ssm:DescribeParameters), when nothing else is on *', () => {
    const { policy } = build((_stack, fn) => fn.addToRolePolicy(describeParameters()));
    const ack = findAcknowledgment('AwsSolutions::AwsSolutions-IAM5[Resource::*]', policy);
    expect(ack?.reason).toMatch(/ssm:DescribeParameters support no resource-level permissions/);
  });

  test('not when an action on * could be scoped to resources', () => {
    const { policy } = build((_stack, fn) => {
      fn.addToRolePolicy(describeParameters());
      // cloudwatch:PutMetricData can now be scoped to a dataset (Service Authorization Reference).
      cloudwatch.Metric.grantPutMetricData(fn);
    });
    expect(findAcknowledgment('AwsSolutions::AwsSolutions-IAM5[Resource::*]', policy)).toBeUndefined();
  });

  test('not a wildcard of the user\'s own making beside a resource', () => {
    const { policy } = build((_stack, fn) => fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::shared-*/*'] })));
    expect([...acknowledgedIds(policy)].filter((id) => id.includes('IAM5'))).toEqual([]);
  });
});
