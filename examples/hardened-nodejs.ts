import * as path from 'path';
import { App, CfnResource, Duration, Mixins, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { LambdaHardening, SecurityBaseline } from 'cdk-secure-function';

/** What the orders reader puts into a stack, before it is hardened. */
export interface HardenedNodejs {
  readonly fn: nodejs.NodejsFunction;
  readonly table: dynamodb.Table;
  readonly api: apigateway.RestApi;
}

/** Why the table is in no AWS Backup plan of this stack. */
const BACKED_UP = 'The orders are recoverable by point-in-time recovery (continuous, 35 days, on) and deletion protection; '
  + 'AWS Backup plans are assigned by the organisation\'s backup policy, not per stack.';
/** Why the method has no Cognito authorizer. */
const SIGV4 = 'The method is authorized with AWS_IAM: callers sign with SigV4 and need execute-api:Invoke on it; there is no user pool.';

/**
 * GET /orders/{id}, written as a team writes it with plain CDK: a
 * NodejsFunction that esbuild bundles from TypeScript, reading a DynamoDB
 * table, behind a REST API whose method needs SigV4 (AWS_IAM). Nothing here is
 * a SecureFunction: LambdaHardening, applied to the app once it is built,
 * gives the function a SecureFunction's controls.
 */
export function addHardenedNodejs(stack: Stack): HardenedNodejs {
  // The stack's key: the hardened function's environment, logs and dead letters use it too.
  const key = SecurityBaseline.of(stack).key;
  const fn = new nodejs.NodejsFunction(stack, 'OrdersReader', {
    entry: path.join(__dirname, 'hardened-nodejs', 'handler.ts'),
    runtime: lambda.Runtime.NODEJS_24_X,
    description: 'Reads orders',
    timeout: Duration.seconds(10),
    reservedConcurrentExecutions: 20,
  });
  const table = new dynamodb.Table(stack, 'Orders', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    deletionProtection: true,
  });
  table.grantReadData(fn);
  Validations.of(table).acknowledge(
    { id: 'HIPAA.Security::HIPAA.Security-DynamoDBInBackupPlan', reason: BACKED_UP },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-DynamoDBInBackupPlan', reason: BACKED_UP },
  );
  fn.addEnvironment('TABLE_NAME', table.tableName);

  const api = ordersApi(stack, key);
  const validator = api.addRequestValidator('Validate', { validateRequestBody: true, validateRequestParameters: true });
  // The function itself: a hardened function has no alias unless asked for one (aliasName, deploymentConfig).
  const method = api.root.addResource('orders').addResource('{id}').addMethod('GET', new apigateway.LambdaIntegration(fn), {
    requestValidator: validator,
    requestParameters: { 'method.request.path.id': true },
  });
  Validations.of(method).acknowledge({ id: 'AwsSolutions::AwsSolutions-COG4', reason: SIGV4 });
  return { fn, table, api };
}

/** A regional REST API, IAM-authorized, traced, access- and error-logged, throttled, behind a web ACL. */
function ordersApi(stack: Stack, key: kms.IKey): apigateway.RestApi {
  const accessLogs = new logs.LogGroup(stack, 'AccessLogs', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR });
  const api = new apigateway.RestApi(stack, 'Api', {
    description: 'Orders API: IAM-authorized',
    // Execution logs need the account's API Gateway CloudWatch Logs role: CDK sets it (AWS::ApiGateway::Account).
    cloudWatchRole: true,
    deployOptions: {
      tracingEnabled: true,
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      throttlingRateLimit: 100,
      throttlingBurstLimit: 200,
      // API Gateway signs its requests to backends with it (HIPAA/NIST/PCI APIGWSSLEnabled).
      clientCertificateId: new apigateway.CfnClientCertificate(stack, 'ClientCertificate', { description: 'Orders API backend calls' }).ref,
    },
    defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
    endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
  });
  const noCache = 'Orders change while they are processed: a cached response would return an order as it was. Nothing is cached, so nothing to encrypt.';
  Validations.of(api.deploymentStage).acknowledge(
    { id: 'HIPAA.Security::HIPAA.Security-APIGWCacheEnabledAndEncrypted', reason: noCache },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-APIGWCacheEnabledAndEncrypted', reason: noCache },
    { id: 'PCI.DSS.321::PCI.DSS.321-APIGWCacheEnabledAndEncrypted', reason: noCache },
  );
  // checkov's stage-cache check, skipped through checkov's own mechanism with the same reason.
  (api.deploymentStage.node.defaultChild as CfnResource).addMetadata('checkov', { skip: [{ id: 'CKV_AWS_120', comment: noCache }] });
  Validations.of(api.node.findChild('CloudWatchRole')).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason: 'AWS\'s policy for the account\'s API Gateway logging role: it lets API Gateway write execution logs, and AWS keeps it current.',
  });
  protectWithWaf(stack, api, key);
  return api;
}

/** A regional web ACL with AWS's common and known-bad-inputs rules on the stage, logging to an encrypted log group. */
function protectWithWaf(stack: Stack, api: apigateway.RestApi, key: kms.IKey): void {
  const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
    name,
    priority,
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    overrideAction: { none: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
  });
  const acl = new wafv2.CfnWebACL(stack, 'ApiFirewall', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    rules: [managed('AWSManagedRulesCommonRuleSet', 0), managed('AWSManagedRulesKnownBadInputsRuleSet', 1)],
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'OrdersApiFirewall', sampledRequestsEnabled: true },
  });
  new wafv2.CfnWebACLAssociation(stack, 'ApiFirewallAssociation', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
  // WAF writes only to log groups named aws-waf-logs-*.
  const firewallLogs = new logs.LogGroup(stack, 'FirewallLogs', {
    logGroupName: `aws-waf-logs-${stack.stackName}-orders`,
    encryptionKey: key,
    retention: logs.RetentionDays.ONE_YEAR,
  });
  new wafv2.CfnLoggingConfiguration(stack, 'ApiFirewallLogging', { resourceArn: acl.attrArn, logDestinationConfigs: [firewallLogs.logGroupArn] });
}

/** The orders reader in a stack of its own, hardened. */
export function buildHardenedNodejsApp(app: App = new App()): { app: App; stack: Stack } & HardenedNodejs {
  const stack = new Stack(app, 'HardenedOrders', { description: 'cdk-secure-function example: a NodejsFunction hardened by LambdaHardening' });
  const parts = addHardenedNodejs(stack);
  // Once the app is built: every Lambda function in it gets the controls of a SecureFunction.
  // A function created after this line is not hardened, and LambdaRulesAspect blocks it.
  Mixins.of(app).apply(new LambdaHardening());
  return { app, stack, ...parts };
}

if (require.main === module) {
  buildHardenedNodejsApp().app.synth();
}
