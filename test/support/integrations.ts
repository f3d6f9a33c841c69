import * as path from 'path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as apigwv2i from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as config from 'aws-cdk-lib/aws-config';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbTargets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cr from 'aws-cdk-lib/custom-resources';
import { assetWith, minimalProps, testOwned, userVpc } from './fixtures';
import { SecureFunction } from '../../src';

/** A GraphQL schema for the AppSync integration. */
const GRAPHQL_SCHEMA = path.join(__dirname, 'graphql', 'schema.graphql');

/** What an integration wires: the function under test (a SecureFunction or a hardened lambda.Function), in a stack. */
export type Integration = (stack: Stack, fn: SecureFunction | lambda.Function) => void;

/** The queue a user would give an event source: encrypted, TLS-only, with a redrive policy. */
export function sourceQueue(stack: Stack, id = 'Source', visibilityTimeout = Duration.minutes(3)): sqs.Queue {
  const owned = testOwned(stack);
  return new sqs.Queue(owned, id, {
    encryption: sqs.QueueEncryption.KMS_MANAGED,
    enforceSSL: true,
    visibilityTimeout,
    deadLetterQueue: { queue: new sqs.Queue(owned, `${id}Redrive`, { encryption: sqs.QueueEncryption.KMS_MANAGED, enforceSSL: true }), maxReceiveCount: 3 },
  });
}

function table(stack: Stack, stream?: dynamodb.StreamViewType): dynamodb.Table {
  return new dynamodb.Table(testOwned(stack), 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    stream,
  });
}

function bucket(stack: Stack, id = 'Bucket'): s3.Bucket {
  return new s3.Bucket(testOwned(stack), id, { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
}

function restApi(stack: Stack): apigw.RestApi {
  return new apigw.RestApi(testOwned(stack), 'Api', { cloudWatchRole: false, deployOptions: { tracingEnabled: true } });
}

/**
 * The integrations users wire a function into on day one. Each builds its own
 * resources under TestOwned; what the integration adds to the function (event
 * source mappings, invoke permissions, grants) is judged.
 */
export const INTEGRATIONS: Record<string, Integration> = {
  'SQS event source': (stack, fn) => {
    fn.addEventSource(new sources.SqsEventSource(sourceQueue(stack), { batchSize: 10 }));
  },
  'Kinesis event source': (stack, fn) => {
    const stream = new kinesis.Stream(testOwned(stack), 'Stream', { encryption: kinesis.StreamEncryption.MANAGED });
    fn.addEventSource(new sources.KinesisEventSource(stream, { startingPosition: lambda.StartingPosition.TRIM_HORIZON }));
  },
  'DynamoDB stream event source': (stack, fn) => {
    const streamed = table(stack, dynamodb.StreamViewType.NEW_IMAGE);
    fn.addEventSource(new sources.DynamoEventSource(streamed, { startingPosition: lambda.StartingPosition.LATEST }));
  },
  'MSK event source': (stack, fn) => {
    fn.addEventSource(new sources.ManagedKafkaEventSource({
      clusterArn: `arn:${stack.partition}:kafka:${stack.region}:${stack.account}:cluster/orders/abcd1234-ab12-cd34-ef56-abcdef123456-1`,
      topic: 'orders',
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    }));
  },
  'self-managed Kafka event source': (stack, fn) => {
    const vpc = userVpc(stack);
    const secret = new secretsmanager.Secret(testOwned(stack), 'KafkaCredentials');
    fn.addEventSource(new sources.SelfManagedKafkaEventSource({
      bootstrapServers: ['kafka-1.internal:9096'],
      topic: 'orders',
      secret,
      authenticationMethod: sources.AuthenticationMethod.SASL_SCRAM_512_AUTH,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroup: new ec2.SecurityGroup(testOwned(stack), 'KafkaClients', { vpc, allowAllOutbound: false }),
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    }));
  },
  'SQS event source with a filter and a batching window': (stack, fn) => {
    // Six times the function's 30 s, plus the batching window.
    fn.addEventSource(new sources.SqsEventSource(sourceQueue(stack, 'Source', Duration.seconds(185)), {
      batchSize: 50, maxBatchingWindow: Duration.seconds(5), filters: [lambda.FilterCriteria.filter({ body: { kind: lambda.FilterRule.isEqual('order') } })],
    }));
  },
  'SNS subscription': (stack, fn) => {
    const topic = new sns.Topic(testOwned(stack), 'Topic', { enforceSSL: true, masterKey: undefined });
    topic.addSubscription(new subscriptions.LambdaSubscription(fn));
  },
  'EventBridge rule target': (stack, fn) => {
    const rule = new events.Rule(testOwned(stack), 'Rule', { eventPattern: { source: ['orders.app'] } });
    rule.addTarget(new eventTargets.LambdaFunction(fn));
  },
  'EventBridge schedule rule target': (stack, fn) => {
    const rule = new events.Rule(testOwned(stack), 'Schedule', { schedule: events.Schedule.rate(Duration.hours(1)) });
    rule.addTarget(new eventTargets.LambdaFunction(fn));
  },
  'EventBridge Scheduler schedule': (stack, fn) => {
    // The schedule's own role: CDK's shared SchedulerRoleForTarget role holds its grants in an inline policy.
    const role = new iam.Role(testOwned(stack), 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    new scheduler.Schedule(testOwned(stack), 'Schedule', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new schedulerTargets.LambdaInvoke(fn, { role }),
    });
  },
  'API Gateway REST integration': (stack, fn) => {
    restApi(stack).root.addResource('orders').addMethod('GET', new apigw.LambdaIntegration(fn), { authorizationType: apigw.AuthorizationType.IAM });
  },
  'API Gateway REST proxy': (stack, fn) => {
    const api = restApi(stack);
    api.root.addProxy({
      defaultIntegration: new apigw.LambdaIntegration(fn),
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
    });
  },
  'API Gateway REST token authorizer': (stack, fn) => {
    const api = restApi(stack);
    const authorizer = new apigw.TokenAuthorizer(testOwned(stack), 'Authorizer', { handler: fn });
    api.root.addMethod('GET', new apigw.MockIntegration(), { authorizer });
  },
  'API Gateway REST request authorizer': (stack, fn) => {
    const api = restApi(stack);
    const authorizer = new apigw.RequestAuthorizer(testOwned(stack), 'Authorizer', { handler: fn, identitySources: [apigw.IdentitySource.header('Authorization')] });
    api.root.addMethod('GET', new apigw.MockIntegration(), { authorizer });
  },
  'API Gateway HTTP integration': (stack, fn) => {
    const api = new apigwv2.HttpApi(testOwned(stack), 'HttpApi');
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.GET], integration: new apigwv2i.HttpLambdaIntegration('Orders', fn), authorizer: new authorizers.HttpIamAuthorizer() });
  },
  'API Gateway HTTP Lambda authorizer': (stack, fn) => {
    const api = new apigwv2.HttpApi(testOwned(stack), 'HttpApi');
    const authorizer = new authorizers.HttpLambdaAuthorizer('Authorizer', fn, { responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE] });
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.GET], integration: new apigwv2i.HttpUrlIntegration('Backend', 'https://backend.example.com'), authorizer });
  },
  'S3 event notification': (stack, fn) => {
    bucket(stack).addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn));
  },
  'Step Functions task': (stack, fn) => {
    new sfn.StateMachine(testOwned(stack), 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(testOwned(stack), 'Invoke', { lambdaFunction: fn })),
      tracingEnabled: true,
    });
  },
  'Cognito user pool trigger': (stack, fn) => {
    new cognito.UserPool(testOwned(stack), 'Users', { lambdaTriggers: { preSignUp: fn } });
  },
  'ALB target': (stack, fn) => {
    const vpc = userVpc(stack);
    const alb = new elbv2.ApplicationLoadBalancer(testOwned(stack), 'Alb', { vpc, internetFacing: false });
    alb.addListener('Http', { port: 80, open: false }).addTargets('Fn', { targets: [new elbTargets.LambdaTarget(fn)] });
  },
  'function URL with IAM auth': (_stack, fn) => {
    fn.addFunctionUrl();
    fn.grantInvokeUrl(new iam.AccountRootPrincipal());
  },
  'async destinations': (stack, fn) => {
    const owned = testOwned(stack);
    fn.configureAsyncInvoke({
      onSuccess: new destinations.SqsDestination(new sqs.Queue(owned, 'Done', { encryption: sqs.QueueEncryption.KMS_MANAGED, enforceSSL: true })),
      maxEventAge: Duration.hours(1),
      retryAttempts: 2,
    });
  },
  'CloudWatch Logs subscription filter': (stack, fn) => {
    const logGroup = new logs.LogGroup(testOwned(stack), 'AppLogs', { retention: logs.RetentionDays.ONE_YEAR });
    new logs.SubscriptionFilter(testOwned(stack), 'Errors', {
      logGroup, destination: new logsDestinations.LambdaDestination(fn), filterPattern: logs.FilterPattern.literal('ERROR'),
    });
  },
  'AppSync Lambda data source': (stack, fn) => {
    const api = new appsync.GraphqlApi(testOwned(stack), 'Graphql', {
      name: 'orders',
      definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(GRAPHQL_SCHEMA)),
      authorizationConfig: { defaultAuthorization: { authorizationType: appsync.AuthorizationType.IAM } },
      xrayEnabled: true,
    });
    api.addLambdaDataSource('Orders', fn).createResolver('Query', { typeName: 'Query', fieldName: 'orders' });
  },
  'a layer from an asset, signed like the code': (stack, fn) => {
    const layer = new lambda.LayerVersion(stack, 'SharedDeps', {
      code: assetWith('module.exports = { shared: true };'),
      compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
      description: 'Shared dependencies',
    });
    new SecureFunction(stack, 'WithLayer', minimalProps({ layers: [layer] })).grantInvoke(fn);
  },
  'Secrets Manager rotation': (stack, fn) => {
    new secretsmanager.Secret(testOwned(stack), 'Db').addRotationSchedule('Rotate', { rotationLambda: fn, automaticallyAfter: Duration.days(30) });
  },
  'custom resource provider onEvent': (stack, fn) => {
    const provider = new cr.Provider(testOwned(stack), 'Provider', { onEventHandler: fn });
    new CustomResource(testOwned(stack), 'Thing', { serviceToken: provider.serviceToken });
  },
  'Config custom rule': (stack, fn) => {
    new config.CustomRule(testOwned(stack), 'Rule', { lambdaFunction: fn, configurationChanges: true, ruleScope: config.RuleScope.fromResources([config.ResourceType.S3_BUCKET]) });
  },
  'Kinesis consumer event source': (stack, fn) => {
    const stream = new kinesis.Stream(testOwned(stack), 'Stream', { encryption: kinesis.StreamEncryption.MANAGED });
    const consumer = new kinesis.StreamConsumer(testOwned(stack), 'Consumer', { stream, streamConsumerName: 'fn' });
    fn.addEventSource(new sources.KinesisConsumerEventSource(consumer, { startingPosition: lambda.StartingPosition.LATEST }));
  },
  'SQS FIFO event source': (stack, fn) => {
    const owned = testOwned(stack);
    const dlq = new sqs.Queue(owned, 'FifoDlq', { fifo: true, encryption: sqs.QueueEncryption.KMS_MANAGED, enforceSSL: true });
    const q = new sqs.Queue(owned, 'Fifo', { fifo: true, encryption: sqs.QueueEncryption.KMS_MANAGED, enforceSSL: true, visibilityTimeout: Duration.minutes(3), deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    fn.addEventSource(new sources.SqsEventSource(q));
  },
  'SNS event source': (stack, fn) => {
    fn.addEventSource(new sources.SnsEventSource(new sns.Topic(testOwned(stack), 'T', { enforceSSL: true })));
  },
  'S3 event source': (stack, fn) => {
    fn.addEventSource(new sources.S3EventSource(new s3.Bucket(testOwned(stack), 'B', { enforceSSL: true }), { events: [s3.EventType.OBJECT_CREATED] }));
  },
  'Step Functions callback task': (stack, fn) => {
    new sfn.StateMachine(testOwned(stack), 'M', {
      tracingEnabled: true,
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(testOwned(stack), 'Wait', {
        lambdaFunction: fn,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
      })),
    });
  },
  'DynamoDB table grant': (stack, fn) => {
    table(stack).grantReadWriteData(fn);
  },
  'DynamoDB table with an index, read': (stack, fn) => {
    const t = table(stack);
    t.grantReadData(fn);
    // Added after the grant, as stacks often do: the grant must cover it.
    t.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customer', type: dynamodb.AttributeType.STRING } });
  },
  'S3 bucket grant': (stack, fn) => {
    bucket(stack).grantReadWrite(fn);
  },
  'SQS send grant': (stack, fn) => {
    sourceQueue(stack, 'Outbox').grantSendMessages(fn);
  },
  'SNS publish grant': (stack, fn) => {
    new sns.Topic(testOwned(stack), 'Notices', { enforceSSL: true }).grantPublish(fn);
  },
  'EventBridge put-events grant': (stack, fn) => {
    new events.EventBus(testOwned(stack), 'Bus').grantPutEventsTo(fn);
  },
  'Step Functions start grant': (stack, fn) => {
    const machine = new sfn.StateMachine(testOwned(stack), 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(testOwned(stack), 'Pass')), tracingEnabled: true });
    machine.grantStartExecution(fn);
  },
  'Lambda invoke grant to another SecureFunction': (stack, fn) => {
    new SecureFunction(stack, 'Downstream', minimalProps()).grantInvoke(fn);
  },
};
