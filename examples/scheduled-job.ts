import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { SecureFunction } from 'cdk-secure-function';

/**
 * A role whose grants land in a customer-managed policy, not in CDK's inline
 * DefaultPolicy (HIPAA/NIST/PCI IAMNoInlinePolicy): the target's invoke grant,
 * and the dead-letter permissions SecureFunction adds for the schedule.
 */
class ManagedPolicyRole extends iam.Role {
  private policy?: iam.ManagedPolicy;

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy ??= new iam.ManagedPolicy(this, 'Policy', { roles: [this] });
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/** What the scheduled job puts into a stack. */
export interface ScheduledJob {
  readonly fn: SecureFunction;
  readonly table: dynamodb.Table;
  readonly schedule: scheduler.Schedule;
}

/** Why the table is in no AWS Backup plan of this stack. */
const BACKED_UP = 'The summaries are recoverable by point-in-time recovery (continuous, 35 days, on) and deletion protection; '
  + 'AWS Backup plans are assigned by the organisation\'s backup policy, not per stack.';

/**
 * An hourly job: an EventBridge Scheduler schedule invokes a SecureFunction's
 * alias, which writes a summary item to a DynamoDB table encrypted with the
 * function's own key. Failed deliveries go to the function's dead-letter queue.
 */
export function addScheduledJob(stack: Stack): ScheduledJob {
  const fn = new SecureFunction(stack, 'HourlySummary', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'hourly-summary')),
    description: 'Writes the hourly summary item',
    timeout: Duration.minutes(1),
  });
  const table = new dynamodb.Table(stack, 'Summaries', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: fn.encryptionKey,
    deletionProtection: true,
  });
  table.grantWriteData(fn);
  Validations.of(table).acknowledge(
    { id: 'HIPAA.Security::HIPAA.Security-DynamoDBInBackupPlan', reason: BACKED_UP },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-DynamoDBInBackupPlan', reason: BACKED_UP },
  );
  fn.function.addEnvironment('TABLE_NAME', table.tableName);

  // The schedule's own role: CDK's shared SchedulerRoleForTarget role keeps its grants in an inline policy.
  const role = new ManagedPolicyRole(stack, 'SchedulerRole', {
    // Only schedules of this account may act with it (confused deputy).
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    description: 'Lets the hourly schedule invoke the summary function',
  });
  const schedule = new scheduler.Schedule(stack, 'Hourly', {
    description: 'Runs the summary job every hour',
    schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
    target: new targets.LambdaInvoke(fn.alias, { role }),
  });
  return { fn, table, schedule };
}

/** The scheduled job in a stack of its own. */
export function buildScheduledJobApp(app: App = new App()): { app: App; stack: Stack } & ScheduledJob {
  const stack = new Stack(app, 'ScheduledJob', { description: 'cdk-secure-function example: an hourly job writing to DynamoDB' });
  return { app, stack, ...addScheduledJob(stack) };
}

if (require.main === module) {
  buildScheduledJobApp().app.synth();
}
