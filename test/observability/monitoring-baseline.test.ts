import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SecureFunction, SecurityBaseline } from '../../src';
import { CONFIG_REGIONS, LAMBDA_CONFIG_RULES, regionsOffering, CONFIG_SCOPE_TAG } from '../../src/observability/lambda-config-rules';
import { ResolvedTemplate } from '../support/access-model/cfn-resolver';
import { minimalProps, newStack } from '../support/fixtures';

const ALARMS_OF_THIS_ACCOUNT = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
    },
  },
};

function keyStatements(template: Template): Array<{ Sid?: string }> {
  const keys = template.findResources('AWS::KMS::Key');
  return Object.values(keys)[0].Properties.KeyPolicy.Statement;
}

/**
 * A stack whose baseline deploys the Config rules, in `region` (env-agnostic
 * without); with a SecureFunction unless `bare` (code signing does not exist in
 * every region, and CloudFormation validation says so).
 */
function withConfigRules(region?: string, bare = false): Stack {
  const stack = new Stack(new App(), 'Test', region ? { env: { account: '111111111111', region } } : undefined);
  const baseline = new SecurityBaseline(stack, 'Baseline', { configRules: true });
  if (bare) {
    void baseline.monitoring.configRules;
  } else {
    new SecureFunction(stack, 'Fn', minimalProps());
  }
  return stack;
}

function ruleIdentifiers(template: Template): string[] {
  return Object.values(template.findResources('AWS::Config::ConfigRule')).map((r) => r.Properties.Source.SourceIdentifier).sort();
}

describe('the alarm topic', () => {
  test('is encrypted with the stack key and refuses anything but TLS', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('lets CloudWatch alarms of this account publish: the topic policy replaces the default one', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'CloudWatchAlarmsOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: Match.stringLikeRegexp('^SecureFunctionBaselineMonitoringAlarmTopic') },
          Condition: ALARMS_OF_THIS_ACCOUNT,
        }]),
      },
    });
  });

  test('the key lets CloudWatch encrypt for the topic in the form SNS documents, with no kms:ViaService', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const statements = keyStatements(Template.fromStack(stack));
    expect(statements.filter((st) => st.Sid === 'CloudWatchAlarmsEncryptForAlarmTopic')).toEqual([{
      Sid: 'CloudWatchAlarmsEncryptForAlarmTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: ALARMS_OF_THIS_ACCOUNT,
    }]);
    expect(JSON.stringify(statements)).not.toContain('kms:ViaService');
    // EventBridge publishes only with the opt-in Config rules.
    expect(statements.filter((st) => st.Sid === 'EventBridgeEncryptsComplianceChanges')).toEqual([]);
  });

  test('an imported key is reported with the statement it needs', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { key: kms.Key.fromKeyArn(stack, 'Org', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    new SecureFunction(stack, 'Fn', minimalProps());
    Annotations.fromStack(stack).hasWarning('/Test/Baseline/Monitoring', Match.stringLikeRegexp('it must allow .*kms:GenerateDataKey.*cloudwatch.amazonaws.com'));
  });

  test('an imported topic is reported with what its policy must allow', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { alarmTopic: sns.Topic.fromTopicArn(stack, 'Org', 'arn:aws:sns:eu-west-1:111111111111:org-alarms') });
    new SecureFunction(stack, 'Fn', minimalProps());
    Annotations.fromStack(stack).hasWarning('/Test/Baseline/Monitoring', Match.stringLikeRegexp('alarmTopic is imported.*cloudwatch.amazonaws.com'));
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('a topic of the app given as alarmTopic gets the CloudWatch statement too', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Team');
    new SecurityBaseline(stack, 'Baseline', { alarmTopic: topic });
    new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^Team') }],
      PolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: ALARMS_OF_THIS_ACCOUNT })] },
    });
  });
});

describe('the AWS Config rules', () => {
  test('a default stack creates none (they need a configuration recorder), and says why on each function', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Config::ConfigRule', 0);
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    const acknowledged = stack.node.findChild('Fn').node.metadata.find((m) => m.type === 'aws:cdk:acknowledged-rules');
    expect(JSON.stringify(acknowledged?.data)).toMatch(/lambda-config-rules.*NoAvailableConfigurationRecorderException/);
  });

  test.each(LAMBDA_CONFIG_RULES.map((spec) => [spec.identifier, spec.inputParameters] as const))(
    'opted in, %s judges only the functions the stack tags, with parameters matching SecureFunction', (identifier, parameters) => {
      const template = Template.fromStack(withConfigRules('eu-west-1'));
      template.hasResourceProperties('AWS::Config::ConfigRule', {
        Source: { Owner: 'AWS', SourceIdentifier: identifier },
        Scope: { TagKey: CONFIG_SCOPE_TAG, TagValue: { Ref: 'AWS::StackName' } },
        InputParameters: parameters ?? Match.absent(),
      });
    });

  test('the tag is on SecureFunctions only: CDK\'s providers and the signer are outside the scope', () => {
    const template = Template.fromStack(withConfigRules());
    const functions = template.findResources('AWS::Lambda::Function');
    const tagged = Object.entries(functions)
      .filter(([, fn]) => (fn.Properties.Tags ?? []).some((t: { Key: string }) => t.Key === CONFIG_SCOPE_TAG))
      .map(([id]) => id);
    expect(tagged).toEqual([expect.stringMatching(/^FnFunction/)]);
    expect(Object.keys(functions).filter((id) => /Signer|VpcRestrictDefaultSG/.test(id))).toHaveLength(2);
  });

  test('are created once per stack, however many functions, with one topic and one route', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    new SecurityBaseline(stack, 'Baseline', { configRules: true });
    new SecureFunction(stack, 'A', minimalProps());
    new SecureFunction(stack, 'B', minimalProps());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Config::ConfigRule', 6);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('route every NON_COMPLIANT result of the rules named with the stack\'s prefix to the topic, with a dead-letter queue', () => {
    const template = Template.fromStack(withConfigRules('eu-west-1'));
    const stackUuid = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
    template.hasResourceProperties('AWS::Config::ConfigRule', { ConfigRuleName: { 'Fn::Join': ['', ['SecureFunction-', stackUuid, '-InsideVpc']] } });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        'detail': {
          configRuleName: [{ prefix: { 'Fn::Join': ['', ['SecureFunction-', stackUuid, '-']] } }],
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
      Targets: [Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('^BaselineMonitoringAlarmTopic') },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BaselineTerminalDeadLetterQueue'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8 },
      })],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })]) },
    });
    expect(keyStatements(template).filter((st) => st.Sid === 'EventBridgeEncryptsComplianceChanges')).toHaveLength(1);
  });

  test.each([
    ['il-central-1', ['LAMBDA_VPC_MULTI_AZ_CHECK']],
    ['ca-west-1', ['LAMBDA_VPC_MULTI_AZ_CHECK']],
    ['mx-central-1', ['LAMBDA_CONCURRENCY_CHECK', 'LAMBDA_FUNCTION_XRAY_ENABLED', 'LAMBDA_INSIDE_VPC', 'LAMBDA_VPC_MULTI_AZ_CHECK']],
    ['us-gov-west-1', ['LAMBDA_CONCURRENCY_CHECK', 'LAMBDA_DLQ_CHECK', 'LAMBDA_INSIDE_VPC', 'LAMBDA_VPC_MULTI_AZ_CHECK']],
    ['eu-south-2', ['LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED']],
  ])('in %s, a stack of that region leaves out the rules AWS Config does not offer there: %s', (region, missing) => {
    const template = Template.fromStack(withConfigRules(region, true));
    const all = LAMBDA_CONFIG_RULES.map((spec) => spec.identifier);
    expect(ruleIdentifiers(template)).toEqual(all.filter((id) => !missing.includes(id)).sort());
    expect(JSON.stringify(template.toJSON().Conditions ?? {})).toBe('{}');
  });

  test('where none is offered (China, Ningxia), no rule and no route, with a warning', () => {
    const stack = withConfigRules('cn-northwest-1', true);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Config::ConfigRule', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    Annotations.fromStack(stack).hasWarning('/Test/Baseline/Monitoring', Match.stringLikeRegexp('none of the Lambda managed rules in cn-northwest-1'));
  });

  test('an env-agnostic stack decides at deployment: each rule exists in exactly the regions that offer it', () => {
    const template = Template.fromStack(withConfigRules()).toJSON();
    for (const region of [...CONFIG_REGIONS, 'xx-new-1']) {
      const deployed = ResolvedTemplate.of(template, { account: '111111111111', region, partition: 'aws', stackName: 'Test' });
      const rules = deployed.ofType('AWS::Config::ConfigRule').map((r) => r.properties.Source.SourceIdentifier).sort();
      const offered = LAMBDA_CONFIG_RULES.filter((spec) => regionsOffering(spec).includes(region)).map((spec) => spec.identifier).sort();
      expect({ region, rules }).toEqual({ region, rules: offered });
    }
  });

  test('the region table cites AWS Config\'s documentation for every rule', () => {
    for (const spec of LAMBDA_CONFIG_RULES) {
      expect(spec.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/config\/latest\/developerguide\/lambda-[a-z-]+\.html$/);
      expect(spec.unavailableIn.filter((region) => !CONFIG_REGIONS.includes(region))).toEqual([]);
    }
  });
});
