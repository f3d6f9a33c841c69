import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GuardHookFailureMode, GuardHookFilteringCriteria, GuardHookTargetOperation, SecureFunctionGuardHook, SecureFunctionGuardHookProps } from '../../src';
import { conformanceFindings } from '../support/conformance';


interface HookStack { app: App; stack: Stack; hook: SecureFunctionGuardHook; template: Template }

function hookStack(props: SecureFunctionGuardHookProps = {}): HookStack {
  const app = new App();
  const stack = new Stack(app, 'HookStack');
  const hook = new SecureFunctionGuardHook(stack, 'Guard', props);
  return { app, stack, hook, template: Template.fromStack(stack) };
}

function policyStatements(template: Template): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

describe('SecureFunctionGuardHook', () => {
  test('the hook: the library rules from the asset, failing stack operations by default', () => {
    const { template, stack, hook } = hookStack();
    const assetKey = `${hook.rulesAsset!.assetHash}.guard`;
    template.resourceCountIs('AWS::CloudFormation::GuardHook', 1);
    template.hasResourceProperties('AWS::CloudFormation::GuardHook', {
      Alias: 'Private::SecureFunction::Guard',
      FailureMode: 'FAIL',
      HookStatus: 'ENABLED',
      TargetOperations: ['STACK'],
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GuardExecutionRole'), 'Arn'] },
      LogBucket: { Ref: stack.getLogicalId(hook.logBucket.node.defaultChild as any) },
      RuleLocation: { Uri: { 'Fn::Sub': `s3://cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${assetKey}` } },
      StackFilters: Match.absent(),
    });
  });

  test.each([
    ['the blocking rules by default (it refuses what the Aspect fails synthesis on)', {}, 'BLOCKING_RULES_FILE'],
    ['every rule with includeWarnRules', { includeWarnRules: true }, 'RULES_FILE'],
  ] as const)('the asset is the packaged rules file, byte for byte: %s', (_, props, file) => {
    const { app } = hookStack(props);
    const assembly = app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'HookStack.assets.json'), 'utf8'));
    const files = Object.values(manifest.files) as Array<{ source: { path: string; packaging: string } }>;
    const rules = files.filter((f) => f.source.path.endsWith('.guard'));
    expect(rules).toHaveLength(1);
    expect(rules[0].source.packaging).toBe('file');
    const staged = fs.readFileSync(path.join(assembly.directory, rules[0].source.path), 'utf8');
    expect(staged).toBe(fs.readFileSync(SecureFunctionGuardHook[file], 'utf8'));
    expect(staged).toMatch(/^rule lambda_inside_vpc when /m);
    // lambda-alarms warns: only the full file holds it.
    expect(/^rule lambda_alarms when /m.test(staged)).toBe(file === 'RULES_FILE');
  });

  test('the execution role: assumed by CloudFormation hooks of this account only; reads exactly the rules object, writes only reports', () => {
    const { template, hook, stack } = hookStack();
    const bucketId = stack.getLogicalId(hook.logBucket.node.defaultChild as any);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'hooks.cloudformation.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':type/hook/*']] } },
          },
        }],
      },
      Policies: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('^GuardExecutionRole') }] });
    const statements = policyStatements(template);
    expect(statements).toHaveLength(3);
    expect(statements[0]).toEqual({
      Sid: 'ReadTheRules',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, `/${hook.rulesAsset!.assetHash}.guard`]] },
    });
    expect(statements[1]).toEqual({
      Sid: 'WriteReports',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
    });
    expect(statements[2]).toMatchObject({
      Sid: 'EncryptReports',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^GuardKey/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } },
    });
  });

  test('the log bucket: KMS with the hook key, TLS-only, public access blocked, versioned, access-logged', () => {
    const { template, stack, hook } = hookStack();
    const bucketId = stack.getLogicalId(hook.logBucket.node.defaultChild as any);
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GuardKey'), 'Arn'] } } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^GuardAccessLogs') }, LogFilePrefix: 'guard-hook/' },
      },
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('options: warn mode, change sets, stack filters', () => {
    const { template } = hookStack({
      failureMode: GuardHookFailureMode.WARN,
      targetOperations: [GuardHookTargetOperation.STACK, GuardHookTargetOperation.CHANGE_SET],
      stackFilters: { includeStackNames: ['app-*'], excludeStackNames: ['app-sandbox-*'], excludeStackRoles: ['arn:aws:iam::111111111111:role/breakglass'], filteringCriteria: GuardHookFilteringCriteria.ANY },
      alias: 'Org::Lambda::Guard',
    });
    template.hasResourceProperties('AWS::CloudFormation::GuardHook', {
      Alias: 'Org::Lambda::Guard',
      FailureMode: 'WARN',
      TargetOperations: ['STACK', 'CHANGE_SET'],
      StackFilters: {
        FilteringCriteria: 'ANY',
        StackNames: { Include: ['app-*'], Exclude: ['app-sandbox-*'] },
        StackRoles: { Exclude: ['arn:aws:iam::111111111111:role/breakglass'] },
      },
    });
  });

  test('rules from a central bucket (StackSets): no asset, the role reads exactly that object version', () => {
    const { template, app, hook } = hookStack({ rulesLocation: { bucketName: 'org-guard-rules', objectKey: 'lambda/secure-function.guard', objectVersion: 'v3' } });
    expect(hook.rulesAsset).toBeUndefined();
    template.hasResourceProperties('AWS::CloudFormation::GuardHook', {
      RuleLocation: { Uri: 's3://org-guard-rules/lambda/secure-function.guard', VersionId: 'v3' },
    });
    expect(policyStatements(template)[0]).toEqual({
      Sid: 'ReadTheRules',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::org-guard-rules/lambda/secure-function.guard']] },
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'HookStack.assets.json'), 'utf8'));
    expect(Object.values(manifest.files).filter((f: any) => f.source.path.endsWith('.guard'))).toHaveLength(0);
  });

  test.each([
    ['AWS::Lambda::Guard', /'alias'.*AWS::Lambda::Guard/],
    ['Lambda::Guard', /'alias'.*three parts/],
    ['Private::Secure Function::Guard', /'alias'/],
  ])('alias %s is a synth error naming the prop, the value and the fix', (alias, message) => {
    expect(() => hookStack({ alias })).toThrow(message);
  });

  test('includeWarnRules with rulesLocation is a synth error (it would be ignored)', () => {
    expect(() => hookStack({ includeWarnRules: true, rulesLocation: { bucketName: 'b', objectKey: 'k' } })).toThrow(/'includeWarnRules'.*rulesLocation/);
  });

  test('no target operation is a synth error', () => {
    expect(() => hookStack({ targetOperations: [] })).toThrow(/'targetOperations'.*at least one/);
  });

  test.each([false, true])('the hook stack has zero findings under every suite (recommended flags: %s)', (recommendedFlags) => {
    const findings = conformanceFindings({ recommendedFlags }, (stack) => {
      new SecureFunctionGuardHook(stack, 'Guard');
    });
    expect(findings).toEqual([]);
  });
});
