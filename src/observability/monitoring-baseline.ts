import { Annotations, Aws, CfnCondition, CfnResource, Fn, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONFIG_RULES_OFF, CONFIG_SCOPE_TAG, LAMBDA_CONFIG_RULES, regionsOffering } from './lambda-config-rules';
import { inRegions } from '../cfn/region-condition';
import { configRules } from '../rules/lambda/lambda-config-rules';

/**
 * Properties of a MonitoringBaseline.
 */
export interface MonitoringBaselineProps {
  /** The key of the alarm topic (when one is created). */
  readonly key: kms.IKey;
  /** Where EventBridge puts compliance notifications it could not deliver. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Send alarms and compliance changes here instead of a topic created here.
   * @default - an SNS topic encrypted with `key`, TLS-only
   */
  readonly topic?: sns.ITopic;
  /**
   * Deploy the AWS Config rules and route their NON_COMPLIANT results to the
   * topic. Needs a configuration recorder in the account and region.
   * @default false
   */
  readonly configRules?: boolean;
}

/**
 * What the SecureFunctions of a stack share to be watched: one alarm topic
 * (encrypted with the stack key, TLS-only, published to by CloudWatch alarms of
 * this account) and, when asked for, the AWS Config managed rules for Lambda
 * with the EventBridge rule that sends every NON_COMPLIANT result to the topic.
 * Each part is created the first time a function needs it.
 *
 * AWS Config rules can only be created where a configuration recorder runs
 * (NoAvailableConfigurationRecorderException otherwise), so they are an opt-in;
 * each is created only in the regions that offer it.
 */
export class MonitoringBaseline extends Construct {
  private readonly props: MonitoringBaselineProps;
  private _topic?: sns.ITopic;
  private _rules?: config.ManagedRule[];

  constructor(scope: Construct, id: string, props: MonitoringBaselineProps) {
    super(scope, id);
    this.props = props;
  }

  /** The topic alarms and compliance changes go to. */
  public get topic(): sns.ITopic {
    if (!this._topic) {
      this._topic = this.props.topic ?? new sns.Topic(this, 'AlarmTopic', {
        displayName: `SecureFunction alarms and compliance changes of ${Stack.of(this).stackName}`,
        masterKey: this.props.key,
        enforceSSL: true,
      });
      this.allowAlarmsToPublish(this._topic);
    }
    return this._topic;
  }

  /** Whether the stack deploys AWS Config rules for its functions. */
  public get configRulesEnabled(): boolean {
    return this.props.configRules === true;
  }

  /**
   * The Config rules, created with their EventBridge routing the first time they
   * are asked for; empty unless the stack opted in. In an env-agnostic stack
   * each rule carries a condition on the region.
   */
  public get configRules(): config.ManagedRule[] {
    if (!this.configRulesEnabled) {
      return [];
    }
    if (!this._rules) {
      this._rules = this.createConfigRules();
    }
    return this._rules;
  }

  /**
   * Puts `fn` in the scope of the stack's Config rules; without them, says why
   * on `owner` (the construct that stands for the function).
   */
  public watch(fn: lambda.IFunction, owner: Construct): void {
    if (!this.configRulesEnabled) {
      Validations.of(owner).acknowledge({ id: configRules.id, reason: CONFIG_RULES_OFF });
    } else if (this.configRules.length > 0) {
      Tags.of(fn).add(CONFIG_SCOPE_TAG, Aws.STACK_NAME);
    }
  }

  private createConfigRules(): config.ManagedRule[] {
    // Rules of this stack only judge the functions it tags: not CDK's providers, not the signer.
    const scope = config.RuleScope.fromTag(CONFIG_SCOPE_TAG, Aws.STACK_NAME);
    // Named, so that the compliance route matches them by prefix even where some do not exist.
    const prefix = Fn.join('', ['SecureFunction-', Fn.select(2, Fn.split('/', Aws.STACK_ID)), '-']);
    const rules: config.ManagedRule[] = [];
    // Rules offered in the same regions share one condition.
    const conditions = new Map<string, boolean | CfnCondition>();
    for (const spec of LAMBDA_CONFIG_RULES) {
      const regions = regionsOffering(spec);
      const key = regions.join(',');
      const where = conditions.get(key) ?? inRegions(this, `${spec.id}Offered`, regions);
      conditions.set(key, where);
      if (where === false) {
        continue;
      }
      const rule = new config.ManagedRule(this, spec.id, {
        configRuleName: Fn.join('', [prefix, spec.id]),
        identifier: spec.identifier,
        inputParameters: spec.inputParameters,
        ruleScope: scope,
        description: `SecureFunction: ${spec.identifier} for the functions of this stack (tag ${CONFIG_SCOPE_TAG})`,
      });
      if (where instanceof CfnCondition) {
        (rule.node.defaultChild as CfnResource).cfnOptions.condition = where;
      }
      rules.push(rule);
    }
    if (rules.length === 0) {
      Annotations.of(this).addWarningV2('cdk-secure-function:config-rules-region',
        `configRules: true, but AWS Config offers none of the Lambda managed rules in ${Stack.of(this).region}: no rule is created.`);
      return rules;
    }
    new events.Rule(this, 'NonCompliantRoute', {
      description: 'Sends each NON_COMPLIANT result of the SecureFunction Config rules to the alarm topic',
      eventPattern: {
        source: ['aws.config'],
        detailType: ['Config Rules Compliance Change'],
        detail: {
          configRuleName: [{ prefix }],
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
      targets: [new targets.SnsTopic(this.topic, { deadLetterQueue: this.props.deadLetterQueue, retryAttempts: 8 })],
    });
    this.allowEventBridgeToUseKey();
    return rules;
  }

  /**
   * A topic policy replaces SNS's default one, so CloudWatch alarms of this
   * account must be allowed to publish by name; the key must let CloudWatch
   * encrypt for the topic (the form SNS documents for AWS services publishing to
   * an encrypted topic, scoped with aws:SourceAccount and aws:SourceArn).
   *
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  private allowAlarmsToPublish(topic: sns.ITopic): void {
    const stack = Stack.of(this);
    const source = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
    };
    const cloudwatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const { statementAdded } = topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccount',
      principals: [cloudwatch],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: source,
    }));
    if (!statementAdded) {
      Annotations.of(this).addWarningV2('cdk-secure-function:alarm-topic-policy',
        'alarmTopic is imported, so its policy cannot be changed here: it must let cloudwatch.amazonaws.com call sns:Publish (with aws:SourceAccount of this account), and its key let it use kms:Decrypt and kms:GenerateDataKey*, or no alarm is delivered.');
    }
    if (this.props.topic) {
      return;
    }
    this.addKeyStatement(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsEncryptForAlarmTopic',
      principals: [cloudwatch],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: source,
    }));
  }

  /**
   * EventBridge encrypts for the topic and for the dead-letter queue. SNS
   * documents that aws:SourceAccount and aws:SourceArn are not supported in
   * the key policy for EventBridge publishing to an encrypted topic, so this
   * statement carries none; the topic and queue policies name the rule.
   *
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  private allowEventBridgeToUseKey(): void {
    this.addKeyStatement(new iam.PolicyStatement({
      sid: 'EventBridgeEncryptsComplianceChanges',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
  }

  private addKeyStatement(statement: iam.PolicyStatement): void {
    const { statementAdded } = this.props.key.addToResourcePolicy(statement, true);
    if (!statementAdded) {
      Annotations.of(this).addWarningV2('cdk-secure-function:alarm-key-policy',
        `The key is imported, so its policy cannot be changed here: it must allow ${JSON.stringify(Stack.of(this).resolve(statement.toStatementJson()))}, or alarms and compliance changes are not delivered.`);
    }
  }
}
