import { Match, Template } from 'aws-cdk-lib/assertions';
import { addRestApiTable, buildRestApiTableApp } from '../../examples/rest-api-table';
import { accessModel, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { conformanceRun } from '../support/conformance';


describe('examples/rest-api-table.ts', () => {
  test('GET and PUT /orders/{id} need IAM auth and validate the id; the stage is regional, traced and access-logged for a year', () => {
    const { stack, fn } = buildRestApiTableApp();
    const template = Template.fromStack(stack);
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'PUT']);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({
        AuthorizationType: 'AWS_IAM',
        RequestValidatorId: { Ref: expect.stringMatching(/^ApiValidate/) },
        RequestParameters: { 'method.request.path.id': true },
        Integration: { Type: 'AWS_PROXY' },
      });
    }
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{id}' });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogs'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(fn.encryptionKey.node.defaultChild as any), 'Arn'] },
    });
  });

  test('API Gateway invokes the alias, only from this API', () => {
    const { stack, api } = buildRestApiTableApp();
    const template = Template.fromStack(stack);
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } }));
    expect(permissions.length).toBeGreaterThanOrEqual(2);
    for (const permission of permissions) {
      expect(permission.Properties.FunctionName).toEqual({ Ref: expect.stringMatching(/^OrdersHandlerAlias/) });
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(stack.getLogicalId(api.node.defaultChild as any));
    }
  });

  test('the table is on demand, recoverable, protected and encrypted with the function\'s key; the function reads and writes it', () => {
    const { stack, fn } = buildRestApiTableApp();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(fn.encryptionKey.node.defaultChild as any), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: Match.stringLikeRegexp('^Orders') } }) },
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('dynamodb:GetItem');
    expect(policies).toContain('dynamodb:PutItem');
  });

  test('brings no Lambda function but SecureFunction\'s own and the library\'s (signer, prefix lists, default-security-group closer)', () => {
    const { stack } = buildRestApiTableApp();
    const functions = Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    const library = /^(OrdersHandlerFunction|SecureFunctionBaselineCodeSigningSigner|SecureFunctionBaselinePrefixLists|CustomVpcRestrictDefaultSGCustomResourceProvider)/;
    expect(functions.filter((id) => !library.test(id))).toEqual([]);
  });

  test('has zero findings under the five cdk-nag packs, Control Tower guard rules and CloudFormation validation', () => {
    const { findings, template } = conformanceRun({ recommendedFlags: true }, (stack) => {
      addRestApiTable(stack);
    });
    expect(findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`)).toEqual([]);
    expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
  });

  test('works as wired: every intended access allowed, every look-alike denied, every reference known, every grant reachable', async () => {
    const { stack } = buildRestApiTableApp();
    const report = await accessModel(stack);
    expect(modelProblems(report)).toEqual(NO_MODEL_PROBLEMS);
    expect(report.intended.total).toBeGreaterThanOrEqual(85);
    expect(report.negative.total).toBeGreaterThanOrEqual(15);
    console.log(`rest-api-table: intended ${report.intended.allowed}/${report.intended.total}, negative ${report.negative.denied}/${report.negative.total}`);
  });
});
