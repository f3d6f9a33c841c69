import { Annotations, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAMBDA_CONFIG_RULES } from '../private/config-rules';

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
   * Deploy the AWS Config rules and route their NON_COMPLIANT results to the topic.
   * @default true
   */
  readonly configRules?: boolean;
}

/**
 * What the SecureFunctions of a stack share to be watched: one alarm topic
 * (encrypted with the stack key, TLS-only), the AWS Config managed rules for
 * Lambda, and the EventBridge rule that sends every NON_COMPLIANT result of those
 * rules to the topic. Each part is created the first time a function needs it.
 *
 * AWS Config rules evaluate only where a configuration recorder runs: this
 * construct does not create one (an account has at most one per region, usually
 * managed centrally); without it the rules stay empty.
 */
export class MonitoringBaseline extends Construct {
  private readonly props: MonitoringBaselineProps;
  private _topic?: sns.ITopic;
  private _rules?: config.ManagedRule[];

  constructor(scope: Construct, id: string, props: MonitoringBaselineProps) {
    super(scope, id);
    this.props = props;
    this._topic = props.topic;
  }

  /** The topic alarms and compliance changes go to. */
  public get topic(): sns.ITopic {
    if (!this._topic) {
      const topic = new sns.Topic(this, 'AlarmTopic', {
        displayName: `SecureFunction alarms and compliance changes of ${Stack.of(this).stackName}`,
        masterKey: this.props.key,
        enforceSSL: true,
      });
      this.allowServicesToPublish(this.props.key);
      this._topic = topic;
    }
    return this._topic;
  }

  /**
   * The Config rules, created with their EventBridge routing the first time they
   * are asked for; empty when the stack opted out.
   */
  public get configRules(): config.ManagedRule[] {
    if (this.props.configRules === false) {
      return [];
    }
    if (!this._rules) {
      const scope = config.RuleScope.fromResources([config.ResourceType.LAMBDA_FUNCTION]);
      this._rules = LAMBDA_CONFIG_RULES.map((spec) => new config.ManagedRule(this, spec.id, {
        identifier: spec.identifier,
        inputParameters: spec.inputParameters,
        ruleScope: scope,
        description: `SecureFunction: ${spec.identifier} for the Lambda functions of this account and region`,
      }));
      new events.Rule(this, 'NonCompliantRoute', {
        description: 'Sends each NON_COMPLIANT result of the SecureFunction Config rules to the alarm topic',
        eventPattern: {
          source: ['aws.config'],
          detailType: ['Config Rules Compliance Change'],
          detail: {
            configRuleName: this._rules.map((rule) => rule.configRuleName),
            newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
          },
        },
        targets: [new targets.SnsTopic(this.topic, { deadLetterQueue: this.props.deadLetterQueue, retryAttempts: 8 })],
      });
      this.allowServicesToPublish(this.props.key);
    }
    return this._rules;
  }

  /**
   * CloudWatch alarms and EventBridge publish to the encrypted topic, and
   * EventBridge writes undeliverable events to the encrypted queue: SNS and SQS
   * then use the key on their behalf, so the key policy must let them, only
   * through those services.
   */
  private allowServicesToPublish(key: kms.IKey): void {
    const stack = Stack.of(this);
    const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AlarmAndEventPublishersThroughSnsAndSqs',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': [`sns.${stack.region}.amazonaws.com`, `sqs.${stack.region}.amazonaws.com`] } },
    }), true);
    if (!statementAdded && !this.props.topic) {
      Annotations.of(this).addWarningV2('cdk-secure-function:alarm-key-policy',
        'The key is imported, so its policy cannot be changed here: it must let cloudwatch.amazonaws.com and events.amazonaws.com use kms:Decrypt and kms:GenerateDataKey* through SNS and SQS, or alarms and compliance changes are not delivered.');
    }
  }
}
