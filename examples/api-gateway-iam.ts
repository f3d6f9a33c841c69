import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SecureFunction } from 'cdk-secure-function';

/**
 * A REST API in front of a SecureFunction: every method needs SigV4 (AWS_IAM),
 * requests are validated, access is logged, calls are traced, and API Gateway
 * invokes the function's alias under a permission scoped to this API.
 */
export function buildApiGatewayIamApp(app: App = new App()): { app: App; stack: Stack; api: apigateway.RestApi; fn: SecureFunction } {
  const stack = new Stack(app, 'OrdersApi');
  const fn = new SecureFunction(stack, 'Orders', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders')),
  });
  const accessLogs = new logs.LogGroup(stack, 'AccessLogs', {
    encryptionKey: fn.encryptionKey,
    retention: logs.RetentionDays.ONE_YEAR,
  });
  const api = new apigateway.RestApi(stack, 'Api', {
    description: 'Orders API: IAM-authorized',
    cloudWatchRole: false,
    deployOptions: {
      tracingEnabled: true,
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
    },
    defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
    endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
  });
  const validator = api.addRequestValidator('Validate', { validateRequestBody: true, validateRequestParameters: true });
  // The alias: every call goes to the published version behind it.
  const integration = new apigateway.LambdaIntegration(fn.alias);
  const orders = api.root.addResource('orders');
  orders.addMethod('GET', integration, { requestValidator: validator });
  orders.addMethod('POST', integration, { requestValidator: validator });
  return { app, stack, api, fn };
}

if (require.main === module) {
  buildApiGatewayIamApp().app.synth();
}
