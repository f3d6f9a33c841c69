import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { SecureFunction } from 'cdk-secure-function';

/**
 * An orders function the way a service team would write it: plain settings in
 * `environment`, the database credentials by reference to Secrets Manager, the
 * feature flags by reference to Parameter Store, and a schedule that invokes it.
 *
 * The stack is environment-agnostic and does no lookups, so it synthesizes
 * without AWS credentials.
 */
export function buildExampleApp(app: App = new App()): { app: App; stack: Stack } {
  const stack = new Stack(app, 'SecureFunctionExample', {
    description: 'cdk-secure-function example: a scheduled orders function',
  });

  const dbCredentials = new secretsmanager.Secret(stack, 'DbCredentials', {
    description: 'Credentials of the orders database',
  });
  const featureFlags = new ssm.StringParameter(stack, 'FeatureFlags', {
    description: 'Feature flags of the orders service',
    stringValue: JSON.stringify({ expressCheckout: false }),
  });

  const orders = new SecureFunction(stack, 'Orders', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders')),
    description: 'Processes pending orders',
    memorySize: 512,
    timeout: Duration.seconds(60),
    reservedConcurrentExecutions: 10,
    environment: {
      LOG_LEVEL: 'INFO',
      TABLE_NAME: 'orders',
    },
    secrets: {
      DB_SECRET_ARN: dbCredentials,
    },
    parameters: {
      FEATURE_FLAGS_PARAMETER: featureFlags,
    },
  });

  new events.Rule(stack, 'ProcessOrdersSchedule', {
    description: 'Processes pending orders every 15 minutes',
    schedule: events.Schedule.rate(Duration.minutes(15)),
    targets: [
      new targets.LambdaFunction(orders, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    ],
  });

  return { app, stack };
}

if (require.main === module) {
  buildExampleApp().app.synth();
}
