import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApiGatewayIamApp } from '../../examples/api-gateway-iam';

describe('examples/api-gateway-iam.ts', () => {
  test('every method needs IAM auth and validates requests; stage traced and access-logged', () => {
    const { stack } = buildApiGatewayIamApp();
    const template = Template.fromStack(stack);
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'POST']);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({ AuthorizationType: 'AWS_IAM', RequestValidatorId: { Ref: expect.stringMatching(/^ApiValidate/) } });
    }
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogs'), 'Arn'] } },
    });
  });

  test('API Gateway invokes the alias, only from this API', () => {
    const { stack } = buildApiGatewayIamApp();
    const template = Template.fromStack(stack);
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } }));
    expect(permissions.length).toBeGreaterThanOrEqual(2);
    for (const permission of permissions) {
      expect(permission.Properties.FunctionName).toEqual({ Ref: expect.stringMatching(/^OrdersAlias/) });
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(stack.getLogicalId(stack.node.findChild('Api').node.defaultChild as any));
    }
  });
});
