import { CustomResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { SecureFunction } from '../../src';
import { UNBOUND_CREDENTIALS_ID } from '../../src/hardening/bound-credentials';
import { minimalProps, newStack } from '../support/fixtures';
import { hardenedNodejsFunction } from '../support/hardened';

const bound = (fnId: string) => ({ ArnEquals: { 'lambda:SourceFunctionArn': { 'Fn::GetAtt': [fnId, 'Arn'] } } });
const idOf = (stack: Stack, construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
const policyOf = (template: Template, description: RegExp) => {
  const found = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).filter(([, p]) => description.test(p.Properties.Description));
  expect(found).toHaveLength(1);
  return { id: found[0][0], statements: found[0][1].Properties.PolicyDocument.Statement as any[] };
};

describe('the code\'s grants are bound to their function (lambda:SourceFunctionArn)', () => {
  test('a table grant and the log writes carry the function\'s ARN, in the code policy the function does not wait for', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }).grantReadData(fn);
    const template = Template.fromStack(stack);
    const fnId = idOf(stack, fn.function);
    const code = policyOf(template, /^What the code of SecureFunction Test\/Fn is granted/);
    expect(code.statements.map((s) => [s.Action, s.Condition])).toEqual([
      [['logs:CreateLogStream', 'logs:PutLogEvents'], bound(fnId)],
      [expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']), bound(fnId)],
    ]);
    // What Lambda does outside the environment with the role stays unbound, in the policy the function waits for.
    const own = policyOf(template, /^Execution role of SecureFunction Test\/Fn$/);
    expect(own.statements.map((s) => [s.Action, s.Condition])).toEqual([['sqs:SendMessage', undefined], [['kms:Decrypt', 'kms:GenerateDataKey'], undefined]]);
    const dependsOn: string[] = template.toJSON().Resources[fnId].DependsOn;
    expect(dependsOn).toContain(own.id);
    expect(dependsOn).not.toContain(code.id);
  });

  test('a key used on the code\'s behalf by DynamoDB (kms:ViaService) and an SQS poller\'s grants stay unbound', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    const key = new kms.Key(stack, 'TableKey', { enableKeyRotation: true });
    new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    }).grantReadWriteData(fn);
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    fn.addEventSource(new sources.SqsEventSource(queue));
    const template = Template.fromStack(stack);
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const viaDynamoDb = statements.find((s) => s.Condition?.StringEquals?.['kms:ViaService']);
    expect(viaDynamoDb.Condition.ArnEquals).toBeUndefined();
    const poller = statements.find((s) => [s.Action].flat().includes('sqs:ReceiveMessage'));
    expect(poller.Condition).toBeUndefined();
    const table = statements.find((s) => [s.Action].flat().includes('dynamodb:GetItem'));
    expect(table.Condition).toEqual(bound(idOf(stack, fn.function)));
  });

  test('what invokes the function while CloudFormation deploys waits for the code policy: a custom resource, a provider, the alias', () => {
    const stack = newStack();
    const direct = new SecureFunction(stack, 'Direct', minimalProps());
    new CustomResource(stack, 'UsesDirect', { serviceToken: direct.function.functionArn });
    const onEvent = new SecureFunction(stack, 'OnEvent', minimalProps());
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: onEvent.function });
    const template = Template.fromStack(stack).toJSON();
    const codePolicy = (label: string) => Object.entries<any>(template.Resources)
      .find(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.Description.startsWith(`What the code of SecureFunction Test/${label} `))![0];
    const dependsOn = (id: string): string[] => template.Resources[id].DependsOn ?? [];
    expect(dependsOn(idOf(stack, stack.node.findChild('UsesDirect')))).toContain(codePolicy('Direct'));
    expect(dependsOn(idOf(stack, provider.node.findChild('framework-onEvent')))).toContain(codePolicy('OnEvent'));
    expect(dependsOn(idOf(stack, direct.alias))).toContain(codePolicy('Direct'));
    // The function itself, and the code policy (which names it), do not wait in a cycle.
    expect(dependsOn(idOf(stack, direct.function))).not.toContain(codePolicy('Direct'));
  });

  test('a function hardened by LambdaHardening is bound the same way', () => {
    const stack = newStack();
    const fn = hardenedNodejsFunction(stack, 'Orders');
    new sqs.Queue(stack, 'Outbox', { enforceSSL: true }).grantSendMessages(fn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Condition: bound(idOf(stack, fn)) })]),
      },
    });
  });

  test('unboundCredentialsReason leaves the code\'s grants as they were, and says why in the audit trail', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps({ unboundCredentialsReason: 'The code hands its credentials to a sidecar process (RISK-12)' }));
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }).grantReadData(fn);
    const template = Template.fromStack(stack);
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).not.toMatch(/lambda:SourceFunctionArn|What the code of/);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Execution role of SecureFunction Test/Fn',
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:GetItem']), Condition: Match.absent() })]) },
    });
    const acknowledged = JSON.stringify(fn.function.node.defaultChild!.node.metadata);
    expect(acknowledged).toContain(UNBOUND_CREDENTIALS_ID.split('::')[1]);
  });
});
