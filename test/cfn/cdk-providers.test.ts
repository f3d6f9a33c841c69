import { App, CfnResource, Mixins, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cr from 'aws-cdk-lib/custom-resources';
import { LambdaHardening, LambdaRulesAspect } from '../../src';
import { cdkProviderOf } from '../../src/cfn/cdk-providers';
import { buildAuditReport } from '../../src/report/audit-data';

// CDK's own handlers: one rule in the mixin, the guard and the report. Each is
// named (what it does), left alone by LambdaHardening, not judged by the guard,
// and listed by the audit report as CDK's.

const OWN_HANDLERS: Record<string, (stack: Stack) => void> = {
  'BucketDeployment': (stack) => new s3deploy.BucketDeployment(stack, 'Deploy', {
    sources: [s3deploy.Source.data('a.txt', 'a')],
    destinationBucket: new s3.Bucket(stack, 'Site', { enforceSSL: true }),
  }),
  'BucketDeployment with its own memory size': (stack) => new s3deploy.BucketDeployment(stack, 'Deploy', {
    sources: [s3deploy.Source.data('a.txt', 'a')],
    destinationBucket: new s3.Bucket(stack, 'Site', { enforceSSL: true }),
    memoryLimit: 512,
  }),
  'EvaluateExpression': (stack) => new sfn.StateMachine(stack, 'Machine', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.EvaluateExpression(stack, 'Eval', { expression: '$.a + $.b' })),
  }),
  'DropSpamReceiptRule': (stack) => new ses.DropSpamReceiptRule(stack, 'DropSpam', { ruleSet: new ses.ReceiptRuleSet(stack, 'Rules') }),
  'AwsCustomResource': (stack) => new cr.AwsCustomResource(stack, 'Lookup', {
    onCreate: { service: 'SSM', action: 'getParameter', parameters: { Name: 'v' }, physicalResourceId: cr.PhysicalResourceId.of('v') },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
  }),
  'bucket notifications': (stack) => new s3.Bucket(stack, 'Uploads', { enforceSSL: true })
    .addObjectCreatedNotification(new s3n.SqsDestination(new sqs.Queue(stack, 'Events', { enforceSSL: true }))),
  'LogRetention': (stack) => new logs.LogRetention(stack, 'Retention', { logGroupName: '/app/x', retention: logs.RetentionDays.ONE_YEAR }),
};

function functionsOf(stack: Stack): CfnResource[] {
  return stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function');
}

describe.each(Object.keys(OWN_HANDLERS))('CDK\'s own handler of %s', (name) => {
  test('is named as CDK\'s, and LambdaHardening applied to the app leaves its stack as it was', () => {
    const plain = new Stack(new App(), 'Test');
    OWN_HANDLERS[name](plain);
    const hardened = new Stack(new App(), 'Test');
    OWN_HANDLERS[name](hardened);
    expect(functionsOf(hardened).length).toBeGreaterThan(0);
    for (const fn of functionsOf(hardened)) {
      expect(cdkProviderOf(fn)).toMatch(/\w+/);
    }
    Mixins.of(hardened.node.root).apply(new LambdaHardening());
    expect(hardened.node.findAll().filter((c) => c instanceof lambda.FunctionBase).map((f) => LambdaHardening.of(f))).toEqual(
      hardened.node.findAll().filter((c) => c instanceof lambda.FunctionBase).map(() => undefined));
    expect(Template.fromStack(hardened).toJSON()).toEqual(Template.fromStack(plain).toJSON());
  });

  test('the guard does not judge it and the audit report lists it as CDK\'s', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    OWN_HANDLERS[name](stack);
    const aspect = LambdaRulesAspect.applyTo(app);
    app.synth();
    expect(aspect.findings).toEqual([]);
    const report = buildAuditReport(app);
    expect(report.functions.map((f) => f.kind)).toEqual(functionsOf(stack).map(() => 'cdk-provider'));
  });
});
