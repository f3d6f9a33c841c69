import { CfnResource, Duration, IAspect, Stack, Token, Validations } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { acknowledgeTemplateOnlySourceCheck } from './invoke-permissions';
import { dropRedundantDependsOn } from '../cfn/depends-on';
import { skipScannerChecks } from '../cfn/scanner-skips';
import { StackIndex } from '../cfn/stack-index';

/** How often EventBridge and Scheduler retry a failed delivery to a function before dead-lettering it. */
export const DEFAULT_DELIVERY_RETRIES = 3;
/** How long they keep trying. */
export const DEFAULT_DELIVERY_AGE = Duration.hours(1);

/** Where the failed deliveries to one function go. */
interface Watched {
  readonly deadLetterQueue: sqs.IQueue;
  readonly key: kms.IKey;
}

/**
 * What delivers events to SecureFunctions, judged once the stack is complete.
 *
 * Integrations that act with a role of their own (a Scheduler schedule, an
 * AppSync data source) wait for that role's policy before they first invoke.
 *
 * Failure handling, on by default:
 * an SNS subscription, an EventBridge rule target or a Scheduler schedule that
 * targets a function's alias and has no dead-letter queue gets the function's
 * own, with bounded retries, and the queue and key policies that let the
 * service (scoped to that topic, rule or schedule) use it. A dead-letter
 * queue or retry policy the user gave is kept.
 *
 * Invoke permissions of an environment-agnostic stack whose source the
 * template check of CT.LAMBDA.PR.2 cannot read are acknowledged, with both
 * conditions named (see `acknowledgeTemplateOnlySourceCheck`).
 *
 * An Aspect, because topics, rules and schedules add their subscription or
 * target after the function's permission is granted, anywhere in the stack;
 * each stack's is added by aspects/stack-aspects.ts (`eventDeliveryOf`).
 */
export class EventDelivery implements IAspect {
  private readonly byAlias = new Map<string, Watched>();
  private readonly keyStatements = new Set<string>();

  /** @param stack the stack it judges */
  constructor(private readonly stack: Stack) {}

  /**
   * Dead-letters failed deliveries to `aliasArn` into `deadLetterQueue`
   * (encrypted with `key`).
   */
  public watch(aliasArn: string, deadLetterQueue: sqs.IQueue, key: kms.IKey): void {
    this.byAlias.set(this.identity(aliasArn), { deadLetterQueue, key });
  }

  public visit(node: IConstruct): void {
    if (node.node.id === S3_NOTIFICATIONS_HANDLER && node.node.scope === this.stack) {
      acknowledgeNotificationsHandler(node);
      return;
    }
    if (!CfnResource.isCfnResource(node) || Stack.of(node) !== this.stack) {
      return;
    }
    if (node.cfnResourceType === sns.CfnSubscription.CFN_RESOURCE_TYPE_NAME) {
      this.subscription(node as sns.CfnSubscription);
    } else if (node.cfnResourceType === events.CfnRule.CFN_RESOURCE_TYPE_NAME) {
      this.rule(node as events.CfnRule);
    } else if (node.cfnResourceType === scheduler.CfnSchedule.CFN_RESOURCE_TYPE_NAME) {
      this.schedule(node as scheduler.CfnSchedule);
    } else if (node.cfnResourceType === appsync.CfnDataSource.CFN_RESOURCE_TYPE_NAME) {
      this.dataSource(node as appsync.CfnDataSource);
    } else if (node.cfnResourceType === lambda.CfnPermission.CFN_RESOURCE_TYPE_NAME && Token.isUnresolved(this.stack.account)) {
      const permission = node as lambda.CfnPermission;
      if (this.byAlias.has(this.identity(permission.functionName))) {
        acknowledgeTemplateOnlySourceCheck(permission);
      }
    }
  }

  private subscription(subscription: sns.CfnSubscription): void {
    const watched = subscription.endpoint === undefined ? undefined : this.byAlias.get(this.identity(subscription.endpoint));
    if (!watched || subscription.protocol !== 'lambda') {
      return;
    }
    Validations.of(subscription).acknowledge({
      id: 'CloudFormation-Validate::W3694',
      reason: 'The subscription\'s endpoint is the function\'s alias: SNS invokes a Lambda function by its qualified ARN (function:name:alias) as by its unqualified one, and SecureFunction takes every invocation through its alias.',
    });
    if (subscription.redrivePolicy !== undefined) {
      return;
    }
    subscription.redrivePolicy = { deadLetterTargetArn: watched.deadLetterQueue.queueArn };
    this.allowService(watched, 'sns.amazonaws.com', subscription.topicArn);
  }

  private rule(rule: events.CfnRule): void {
    const targets = this.stack.resolve(rule.targets) as Array<Record<string, unknown>> | undefined;
    // The L1's own property: camelCase keys (the template's PascalCase only once rendered).
    (targets ?? []).forEach((target, index) => {
      const watched = this.byAlias.get(JSON.stringify(target.arn));
      if (!watched || target.deadLetterConfig !== undefined) {
        return;
      }
      rule.addPropertyOverride(`Targets.${index}.DeadLetterConfig`, { Arn: watched.deadLetterQueue.queueArn });
      if (target.retryPolicy === undefined) {
        rule.addPropertyOverride(`Targets.${index}.RetryPolicy`, retryPolicy());
      }
      this.allowService(watched, 'events.amazonaws.com', rule.attrArn);
    });
  }

  private schedule(schedule: scheduler.CfnSchedule): void {
    const target = this.stack.resolve(schedule.target) as Record<string, any>;
    const watched = this.byAlias.get(JSON.stringify(target.arn));
    if (!watched || target.deadLetterConfig !== undefined) {
      return;
    }
    schedule.addPropertyOverride('Target.DeadLetterConfig', { Arn: watched.deadLetterQueue.queueArn });
    // CDK's Scheduler targets always write a retry policy (185 retries over a day by default): bound it unless chosen.
    const retries = target.retryPolicy as { maximumRetryAttempts?: number; maximumEventAgeInSeconds?: number } | undefined;
    if (retries === undefined || (retries.maximumRetryAttempts === 185 && retries.maximumEventAgeInSeconds === 86400)) {
      schedule.addPropertyOverride('Target.RetryPolicy', retryPolicy());
    }
    // Scheduler dead-letters with the schedule's own role, which must hold its permissions first.
    const role = this.roleOf(target.roleArn);
    if (role) {
      schedule.node.addDependency(role);
      // The role itself is already named by the target (cfn-lint W3005): only its policies are waited for.
      dropRedundantDependsOn(schedule);
    }
    role?.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'],
      resources: [watched.deadLetterQueue.queueArn],
    }));
    role?.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [watched.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sqs.${this.stack.region}.${this.stack.urlSuffix}` } },
    }));
  }

  /** An AppSync data source invokes with its role from its first request: it waits for the role's policy. */
  private dataSource(dataSource: appsync.CfnDataSource): void {
    const config = this.stack.resolve(dataSource.lambdaConfig) as { lambdaFunctionArn?: unknown } | undefined;
    if (config?.lambdaFunctionArn === undefined || !this.byAlias.has(JSON.stringify(config.lambdaFunctionArn))) {
      return;
    }
    const role = this.roleOf(dataSource.serviceRoleArn);
    if (role) {
      dataSource.node.addDependency(role);
      dropRedundantDependsOn(dataSource);
    }
  }

  /**
   * Lets `service`, for deliveries of `sourceArn` only, send to the queue, and
   * encrypt for it. The key policy names the service's resources of this
   * account and region by pattern: naming the topic or rule itself would make
   * the key wait for it, and it waits for the function, which waits for the key.
   */
  private allowService(watched: Watched, service: string, sourceArn: string): void {
    const principal = new iam.ServicePrincipal(service);
    watched.deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'],
      principals: [principal],
      resources: [watched.deadLetterQueue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': sourceArn }, StringEquals: { 'aws:SourceAccount': this.stack.account } },
    }));
    const kind = service.split('.')[0];
    if (this.keyStatements.has(`${kind}|${watched.key.node.path}`)) {
      return;
    }
    this.keyStatements.add(`${kind}|${watched.key.node.path}`);
    const sources = kind === 'events' ? 'rule/*' : '*';
    watched.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `${kind === 'events' ? 'EventBridgeRules' : 'SnsTopics'}DeadLetterToFunctionQueues`,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      principals: [principal],
      resources: ['*'],
      conditions: {
        ArnLike: { 'aws:SourceArn': `arn:${this.stack.partition}:${kind}:${this.stack.region}:${this.stack.account}:${sources}` },
        StringEquals: { 'aws:SourceAccount': this.stack.account },
      },
    }), true);
  }

  private roleOf(roleArn: unknown): iam.IRole | undefined {
    const logicalId = (this.stack.resolve(roleArn) as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
    const found = typeof logicalId === 'string' ? StackIndex.resourceOf(this.stack, logicalId) : undefined;
    const role = found?.cfnResourceType === iam.CfnRole.CFN_RESOURCE_TYPE_NAME ? found.node.scope : undefined;
    return role && 'addToPrincipalPolicy' in role ? role as unknown as iam.IRole : undefined;
  }

  private identity(arn: string): string {
    return JSON.stringify(this.stack.resolve(arn));
  }
}

/** The construct id of the function CDK creates for `bucket.addEventNotification`. */
const S3_NOTIFICATIONS_HANDLER = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * CDK writes a bucket's notification configuration with its own handler: a
 * bucket and a function whose permission names the bucket cannot be wired in
 * one template otherwise (each would wait for the other). Its code and settings
 * are CDK's; the two rules it cannot meet are acknowledged on it, with why.
 * Without it: enable EventBridge on the bucket and target the function with a
 * rule (see docs/integrations.md).
 */
function acknowledgeNotificationsHandler(handler: IConstruct): void {
  const reason = 'CDK\'s BucketNotificationsHandler (bucket.addEventNotification) runs only while CloudFormation deploys, to put the bucket\'s notification configuration through the S3 API; its code, role and placement are CDK\'s. S3 then invokes the SecureFunction\'s alias under a permission scoped to the bucket and account.';
  Validations.of(handler).acknowledge(
    { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason },
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason },
  );
  const resource = handler.node.tryFindChild('Resource');
  if (resource) {
    skipScannerChecks(resource, {
      checkov: ['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117'].map((id) => ({ id, reason })),
      cfnLint: [{ id: 'W3005', reason: 'CDK\'s handler waits for its role by construct as well as through its Role property; harmless, and CDK\'s to render.' }],
    });
  }
}

function retryPolicy() {
  return { MaximumRetryAttempts: DEFAULT_DELIVERY_RETRIES, MaximumEventAgeInSeconds: DEFAULT_DELIVERY_AGE.toSeconds() };
}
