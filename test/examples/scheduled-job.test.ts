import { Match, Template } from 'aws-cdk-lib/assertions';
import { addScheduledJob, buildScheduledJobApp } from '../../examples/scheduled-job';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { conformanceRun } from '../support/conformance';


describe('examples/scheduled-job.ts', () => {
  test('the schedule invokes the alias hourly with its own role, dead-lettered into the function\'s queue', () => {
    const { stack, fn } = buildScheduledJobApp();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: {
        Arn: { Ref: Match.stringLikeRegexp('^HourlySummaryAlias') },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SchedulerRole'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(fn.deadLetterQueue.node.defaultChild as any), 'Arn'] } },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
      },
    });
    // No CDK shared SchedulerRoleForTarget role.
    expect(Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('SchedulerRoleForTarget'))).toEqual([]);
  });

  test('the table is on demand, recoverable, protected and encrypted with the function\'s key, named in the environment', () => {
    const { stack, fn } = buildScheduledJobApp();
    const template = Template.fromStack(stack);
    const keyId = stack.getLogicalId(fn.encryptionKey.node.defaultChild as any);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: Match.stringLikeRegexp('^Summaries') } }) },
    });
  });

  test('the function may write the table, not read it', () => {
    const { stack } = buildScheduledJobApp();
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('dynamodb:PutItem');
    expect(policies).not.toContain('dynamodb:GetItem');
  });

  test('brings no Lambda function but SecureFunction\'s own and the library\'s (signer, prefix lists, default-security-group closer)', () => {
    const { stack } = buildScheduledJobApp();
    const functions = Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    const library = /^(HourlySummaryFunction|SecureFunctionBaselineCodeSigningSigner|SecureFunctionBaselinePrefixLists|CustomVpcRestrictDefaultSGCustomResourceProvider)/;
    expect(functions.filter((id) => !library.test(id))).toEqual([]);
  });

  test('has zero findings under the five cdk-nag packs, Control Tower guard rules and CloudFormation validation', () => {
    const { findings, template } = conformanceRun({ recommendedFlags: true }, (stack) => {
      addScheduledJob(stack);
    });
    expect(findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`)).toEqual([]);
    expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
  });

  test('works as wired: every intended access allowed, every look-alike denied, every reference known, every grant reachable', async () => {
    const { stack } = buildScheduledJobApp();
    const report = await accessModel(stack);
    expect(modelProblems(report)).toEqual(NO_MODEL_PROBLEMS);
    expect(report.intended.total).toBeGreaterThanOrEqual(80);
    expect(report.negative.total).toBeGreaterThanOrEqual(18);
    console.log(`scheduled-job: intended ${report.intended.allowed}/${report.intended.total}, negative ${report.negative.denied}/${report.negative.total}`);
  });
});
