import * as fs from 'fs';
import * as path from 'path';
import { Duration, Mixins } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { addHardenedNodejs, buildHardenedNodejsApp } from '../../examples/hardened-nodejs';
import { LambdaHardening, LambdaRulesAspect } from '../../src';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { conformanceRun } from '../support/conformance';


const SIGNED_CODE = Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningSignerSignedCode');

describe('examples/hardened-nodejs.ts', () => {
  test('the NodejsFunction runs in the isolated VPC, traced, with JSON logs, under the enforcing code-signing config', () => {
    const { stack, fn } = buildHardenedNodejsApp();
    const template = Template.fromStack(stack);
    const hardened = LambdaHardening.of(fn)!;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      VpcConfig: {
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^SecureFunctionBaselineNetworkVpcIsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('^SecureFunctionBaselineNetworkVpcIsolatedSubnet2') }],
        SecurityGroupIds: Match.arrayWith([{ 'Fn::GetAtt': [stack.getLogicalId(hardened.securityGroup.node.defaultChild as any), 'GroupId'] }]),
      },
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: stack.getLogicalId(hardened.logGroup.node.defaultChild as any) } },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [stack.getLogicalId(hardened.deadLetterQueue.node.defaultChild as any), 'Arn'] } },
      CodeSigningConfigArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineCodeSigningConfig'), 'CodeSigningConfigArn'] },
      // What the function set is kept; what it left unset gets SecureFunction's default.
      Timeout: 10,
      ReservedConcurrentExecutions: 20,
      MemorySize: 256,
    });
    template.hasResourceProperties('AWS::Lambda::CodeSigningConfig', { CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' } });
    // Integrations invoke the function itself: no alias without aliasName or deploymentConfig.
    expect(hardened.alias).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::Alias', 0);
  });

  test('the function deploys the signing step\'s output of its esbuild bundle, which leaves the AWS SDK to the runtime', () => {
    const { app, stack, fn } = buildHardenedNodejsApp();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Reads orders',
      Code: {
        S3Bucket: { 'Fn::GetAtt': [SIGNED_CODE, 'Bucket'] },
        S3Key: { 'Fn::GetAtt': [SIGNED_CODE, 'Key'] },
        S3ObjectVersion: { 'Fn::GetAtt': [SIGNED_CODE, 'Version'] },
        SourceKMSKeyArn: { 'Fn::GetAtt': [stack.getLogicalId(LambdaHardening.of(fn)!.encryptionKey.node.defaultChild as any), 'Arn'] },
      },
    });
    // The step signs the asset NodejsFunction staged: its own bundle.
    const asset = fn.node.findChild('Code') as s3assets.Asset;
    const [resource] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: 'Reads orders' } }));
    const step = template.findResources('Custom::SignedLambdaCode')[resource.Properties.Code.S3Key['Fn::GetAtt'][0]];
    expect(step.Properties.SourceKey).toEqual(stack.resolve(asset.s3ObjectKey));
    template.hasResourceProperties('Custom::SignedLambdaCode', { SourceKey: step.Properties.SourceKey, DestinationPrefix: 'signed-code/' });
    const bundle = fs.readFileSync(path.resolve(app.outdir, asset.assetPath, 'index.js'), 'utf8');
    expect(bundle).toContain('require("@aws-sdk/client-dynamodb")');
    expect(bundle).toContain('GetItemCommand');
  });

  test('the role holds exact grants in a customer-managed policy: reading the table, no inline or AWS managed policy', () => {
    const { stack, fn } = buildHardenedNodejsApp();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const role = template.findResources('AWS::IAM::Role')[stack.getLogicalId(fn.role!.node.defaultChild as any)];
    expect(role.Properties.ManagedPolicyArns.map((arn: unknown) => JSON.stringify(arn))).not.toContainEqual(expect.stringMatching(/iam::aws:policy/));
    // The code's grants: in the customer-managed policy bound to the function (lambda:SourceFunctionArn).
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .find((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: stack.getLogicalId(fn.role!.node.defaultChild as any) }])
        && /^What the code of /.test(p.Properties.Description))!;
    const actions = JSON.stringify(policy.Properties.PolicyDocument);
    expect(policy.Properties.PolicyDocument.Statement.every((s: any) => s.Condition?.ArnEquals?.['lambda:SourceFunctionArn'] !== undefined)).toBe(true);
    expect(actions).toContain('"dynamodb:GetItem"');
    expect(actions).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem)|\*"/);
  });

  test('the table grant opens the DynamoDB gateway endpoint with HTTPS to its prefix list, and the KMS endpoint for the table key', () => {
    const { stack, fn } = buildHardenedNodejsApp();
    const template = Template.fromStack(stack);
    const hardened = LambdaHardening.of(fn)!;
    const group = stack.getLogicalId(hardened.securityGroup.node.defaultChild as any);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
    });
    template.hasResourceProperties('Custom::ManagedPrefixList', { PrefixListName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] } });
    // The function's own group: HTTPS to the DynamoDB prefix list, nothing else.
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress', { Properties: { GroupId: { 'Fn::GetAtt': [group, 'GroupId'] } } }));
    expect(egress.map((e) => e.Properties)).toEqual([expect.objectContaining({
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      DestinationPrefixListId: { 'Fn::GetAtt': [expect.stringMatching(/^SecureFunctionBaselinePrefixListsDynamodb/), 'PrefixListId'] },
    })]);
    // KMS through its interface endpoint, which the function reaches as a member of the endpoint's client group.
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.kms']] },
    });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Reads orders',
      VpcConfig: Match.objectLike({ SecurityGroupIds: [{ 'Fn::GetAtt': [group, 'GroupId'] }, { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineEndpointsKmsClients'), 'GroupId'] }] }),
    });
  });

  test('API Gateway invokes the function itself, only from this API', () => {
    const { stack, fn, api } = buildHardenedNodejsApp();
    const template = Template.fromStack(stack);
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } }));
    expect(permissions).toHaveLength(2); // the stage and the console's test invocations
    for (const permission of permissions) {
      expect(permission.Properties.FunctionName).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as any), 'Arn'] });
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(stack.getLogicalId(api.node.defaultChild as any));
    }
  });

  test('brings no Lambda function but the hardened one and the library\'s (signer, prefix lists, default-security-group closer)', () => {
    const { stack } = buildHardenedNodejsApp();
    const functions = Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    const library = /^(OrdersReader|SecureFunctionBaselineCodeSigningSigner|SecureFunctionBaselinePrefixLists|CustomVpcRestrictDefaultSGCustomResourceProvider)/;
    expect(functions.filter((id) => !library.test(id))).toEqual([]);
  });

  test('LambdaRulesAspect passes the app, and blocks a function created after the mixin was applied', () => {
    const { app, stack } = buildHardenedNodejsApp();
    // Forgotten: created once Mixins.of(app).apply(...) has run, so not hardened.
    new lambda.Function(stack, 'Latecomer', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'examples', 'handlers', 'orders')),
      timeout: Duration.seconds(10),
    });
    const guard = LambdaRulesAspect.applyTo(app);
    app.synth();
    const blocking = guard.findings.filter((f) => f.blocking);
    expect(blocking.filter((f) => !f.resourcePath.startsWith('HardenedOrders/Latecomer'))).toEqual([]);
    expect(blocking.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['lambda-inside-vpc', 'lambda-code-signing', 'lambda-dlq']));
  });

  test('the hardened app alone has no guard finding', () => {
    const { app } = buildHardenedNodejsApp();
    const guard = LambdaRulesAspect.applyTo(app);
    app.synth();
    expect(guard.findings.map((f) => `${f.ruleId} at ${f.resourcePath}`)).toEqual([]);
  });

  test('has zero findings under the five cdk-nag packs, Control Tower guard rules and CloudFormation validation', () => {
    const { findings, template } = conformanceRun({ recommendedFlags: true }, (stack) => {
      addHardenedNodejs(stack);
      Mixins.of(stack.node.root).apply(new LambdaHardening());
    });
    expect(findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`)).toEqual([]);
    expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
    console.log(`hardened-nodejs: ${Object.keys(template.Resources).length} resources`);
  });

  test('works as wired: every intended access allowed, every look-alike denied, every reference known, every grant reachable', async () => {
    const { stack } = buildHardenedNodejsApp();
    const report = await accessModel(stack);
    expect(modelProblems(report)).toEqual(NO_MODEL_PROBLEMS);
    expect(report.intended.total).toBeGreaterThanOrEqual(80);
    expect(report.negative.total).toBeGreaterThanOrEqual(15);
    console.log(`hardened-nodejs: intended ${report.intended.allowed}/${report.intended.total}, negative ${report.negative.denied}/${report.negative.total}`);
  });
});
