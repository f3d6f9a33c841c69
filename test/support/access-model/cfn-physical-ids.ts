// What Ref and Fn::GetAtt give for each resource type once deployed, for the
// fixed environment of a ResolvedTemplate. A value depends only on the
// environment, the logical id and a few of the resource's own (name-like)
// properties, never on its fully resolved properties: that keeps resources
// that refer to each other (a key policy naming a role, the role's policy
// naming the key) resolvable.
import { createHash } from 'crypto';
import type { DeployEnv } from './cfn-resolver';

/** What Ref or Fn::GetAtt gives: most attributes are strings, a few are lists. */
export type AttrValue = string | string[];

/** The resource whose physical ids are wanted, as a rule of the table sees it. */
export interface PhysicalContext {
  readonly logicalId: string;
  readonly type: string;
  readonly env: Required<DeployEnv>;
  /** One of the resource's properties, resolved; undefined when absent or when resolving it would go round a cycle. */
  prop(key: string): unknown;
}

type NameFn = (c: PhysicalContext) => string;
type ValueFn = (c: PhysicalContext, name: string) => AttrValue;

interface TypeRule {
  /** The physical name; `${stackName}-${logicalId}` when not given. */
  readonly name?: NameFn;
  readonly ref: (c: PhysicalContext, name: string) => string;
  readonly attrs?: Readonly<Record<string, ValueFn>>;
}

const sha = (seed: string): string => createHash('sha256').update(seed).digest('hex');

/** A uuid-shaped id that depends only on the seed. */
export function deterministicUuid(seed: string): string {
  const h = sha(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of `alphabet`, from the logical id and a salt. */
function token(c: PhysicalContext, salt: string, length: number, alphabet?: string): string {
  const h = sha(`${c.logicalId}/${salt}`);
  if (!alphabet) return h.slice(0, length);
  return Array.from({ length }, (_, i) => alphabet[parseInt(h.slice(i * 2, i * 2 + 2), 16) % alphabet.length]).join('');
}

const uuid = (c: PhysicalContext, salt = ''): string => deterministicUuid(`${c.logicalId}/${salt}`);
export const generatedName = (c: PhysicalContext): string => `${c.env.stackName}-${c.logicalId}`;

function str(c: PhysicalContext, key: string): string | undefined {
  const v = c.prop(key);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const named = (key: string): NameFn => c => str(c, key) ?? generatedName(c);

function arn(c: PhysicalContext, service: string, resource: string, regional = true): string {
  return `arn:${c.env.partition}:${service}:${regional ? c.env.region : ''}:${c.env.account}:${resource}`;
}

/** IAM ARNs carry the entity's path: role/path/name. */
const iamArn = (c: PhysicalContext, kind: string, name: string): string => arn(c, 'iam', `${kind}${str(c, 'Path') ?? '/'}${name}`, false);

/** A Lambda function's ARN from what a FunctionName property holds: a name or an ARN. */
function functionArn(c: PhysicalContext, key: string): string {
  const fn = str(c, key) ?? generatedName(c);
  return fn.startsWith('arn:') ? fn : arn(c, 'lambda', `function:${fn}`);
}

const versionArn = (c: PhysicalContext): string => `${functionArn(c, 'FunctionName')}:1`;
const self: ValueFn = (c, n) => rule(c.type).ref(c, n);
const nameAttr: ValueFn = (_c, n) => n;
const withFifo = (key: string, flag: string): NameFn => c => str(c, key) ?? `${generatedName(c)}${c.prop(flag) === true || c.prop(flag) === 'true' ? '.fifo' : ''}`;
const ec2Id = (prefix: string, attr: string): TypeRule => ({ ref: c => `${prefix}-${token(c, prefix, 17)}`, attrs: { [attr]: self } });
const byName = (key: string, attrs?: Readonly<Record<string, ValueFn>>): TypeRule => ({ name: named(key), ref: (_c, n) => n, attrs });

const sqsUrl = (c: PhysicalContext, n: string): string => `https://sqs.${c.env.region}.${c.env.urlSuffix}/${c.env.account}/${n}`;
const bucketName: NameFn = c => (str(c, 'BucketName') ?? generatedName(c)).toLowerCase();
const signerName: NameFn = c => str(c, 'ProfileName') ?? generatedName(c).replace(/[^A-Za-z0-9_]/g, '_');
const signerArn = (c: PhysicalContext, n: string): string => arn(c, 'signer', `/signing-profiles/${n}`);
const restApi: TypeRule = { ref: c => token(c, 'api', 10, LOWER), attrs: { RestApiId: self, RootResourceId: c => token(c, 'root', 10, LOWER) } };

function ruleArn(c: PhysicalContext, n: string): string {
  const bus = str(c, 'EventBusName')?.split('event-bus/').pop();
  return arn(c, 'events', `rule/${bus && bus !== 'default' ? `${bus}/` : ''}${n}`);
}

/**
 * The id of an AWS-managed prefix list, looked up by its name (`com.amazonaws.<region>.s3`):
 * a fake id per name, `pl-s3-<region>`, the same wherever the name is looked up.
 */
function managedPrefixListId(c: PhysicalContext): string {
  const name = str(c, 'PrefixListName') ?? '';
  const match = /^(?:cn\.)?com\.amazonaws\.([^.]+)\.(.+)$/.exec(name);
  return match ? `pl-${match[2].replace(/[^a-z0-9]+/g, '-')}-${match[1]}` : `pl-${token(c, 'pl', 17)}`;
}

/** A listener's ARN is its load balancer's, with listener/ for loadbalancer/. */
function listenerBase(c: PhysicalContext): string {
  const lb = str(c, 'LoadBalancerArn');
  return lb ? lb.replace(':loadbalancer/', ':listener/') : arn(c, 'elasticloadbalancing', 'listener/app/unknown/0');
}

const TABLE: Readonly<Record<string, TypeRule>> = {
  'AWS::IAM::Role': byName('RoleName', { Arn: (c, n) => iamArn(c, 'role', n), RoleId: c => `AROA${token(c, 'id', 17, UPPER)}` }),
  'AWS::IAM::ManagedPolicy': {
    name: named('ManagedPolicyName'),
    ref: (c, n) => iamArn(c, 'policy', n),
    attrs: { PolicyArn: self, PolicyId: c => `ANPA${token(c, 'id', 17, UPPER)}` },
  },
  'AWS::IAM::Policy': byName('PolicyName', { Id: nameAttr }),
  'AWS::IAM::InstanceProfile': byName('InstanceProfileName', { Arn: (c, n) => iamArn(c, 'instance-profile', n) }),
  'AWS::IAM::User': byName('UserName', { Arn: (c, n) => iamArn(c, 'user', n) }),
  'AWS::IAM::Group': byName('GroupName', { Arn: (c, n) => iamArn(c, 'group', n) }),
  'AWS::Lambda::Function': byName('FunctionName', { Arn: (c, n) => arn(c, 'lambda', `function:${n}`) }),
  'AWS::Lambda::Version': { ref: versionArn, attrs: { Version: () => '1', FunctionArn: versionArn } },
  'AWS::Lambda::Alias': { name: named('Name'), ref: (c, n) => `${functionArn(c, 'FunctionName')}:${n}`, attrs: { AliasArn: self } },
  'AWS::Lambda::CapacityProvider': byName('CapacityProviderName', { Arn: (c, n) => arn(c, 'lambda', `capacity-provider:${n}`) }),
  'AWS::Lambda::LayerVersion': { name: named('LayerName'), ref: (c, n) => arn(c, 'lambda', `layer:${n}:1`), attrs: { LayerVersionArn: self } },
  'AWS::Lambda::Url': {
    ref: c => functionArn(c, 'TargetFunctionArn'),
    attrs: { FunctionArn: self, FunctionUrl: c => `https://${token(c, 'url', 32, LOWER)}.lambda-url.${c.env.region}.on.aws/` },
  },
  'AWS::Lambda::CodeSigningConfig': {
    ref: c => arn(c, 'lambda', `code-signing-config:csc-${token(c, 'csc', 17)}`),
    attrs: { CodeSigningConfigArn: self, CodeSigningConfigId: c => `csc-${token(c, 'csc', 17)}` },
  },
  'AWS::Lambda::EventSourceMapping': {
    ref: c => uuid(c),
    attrs: { Id: self, EventSourceMappingArn: c => arn(c, 'lambda', `event-source-mapping:${uuid(c)}`) },
  },
  'AWS::SQS::Queue': { name: withFifo('QueueName', 'FifoQueue'), ref: sqsUrl, attrs: { Arn: (c, n) => arn(c, 'sqs', n), QueueName: nameAttr, QueueUrl: sqsUrl } },
  'AWS::SNS::Topic': { name: withFifo('TopicName', 'FifoTopic'), ref: (c, n) => arn(c, 'sns', n), attrs: { TopicArn: self, TopicName: nameAttr } },
  'AWS::KMS::Key': { ref: c => uuid(c, 'key'), attrs: { Arn: c => arn(c, 'kms', `key/${uuid(c, 'key')}`), KeyId: self } },
  'AWS::KMS::Alias': { name: c => str(c, 'AliasName') ?? `alias/${generatedName(c)}`, ref: (_c, n) => n },
  'AWS::Logs::LogGroup': byName('LogGroupName', { Arn: (c, n) => arn(c, 'logs', `log-group:${n}:*`) }),
  'AWS::S3::Bucket': {
    name: bucketName,
    ref: (_c, n) => n,
    attrs: {
      Arn: (c, n) => `arn:${c.env.partition}:s3:::${n}`,
      DomainName: (c, n) => `${n}.s3.${c.env.urlSuffix}`,
      RegionalDomainName: (c, n) => `${n}.s3.${c.env.region}.${c.env.urlSuffix}`,
      DualStackDomainName: (c, n) => `${n}.s3.dualstack.${c.env.region}.${c.env.urlSuffix}`,
      WebsiteURL: (c, n) => `http://${n}.s3-website-${c.env.region}.${c.env.urlSuffix}`,
    },
  },
  'AWS::SecretsManager::Secret': { name: named('Name'), ref: (c, n) => arn(c, 'secretsmanager', `secret:${n}-AbCdEf`), attrs: { Id: self } },
  'AWS::SSM::Parameter': byName('Name', { Type: c => str(c, 'Type') ?? 'String', Value: c => str(c, 'Value') ?? '' }),
  'AWS::Events::Rule': byName('Name', { Arn: ruleArn }),
  'AWS::Events::EventBus': byName('Name', { Arn: (c, n) => arn(c, 'events', `event-bus/${n}`), Name: nameAttr }),
  'AWS::CloudWatch::Alarm': byName('AlarmName', { Arn: (c, n) => arn(c, 'cloudwatch', `alarm:${n}`) }),
  'AWS::EC2::VPC': {
    ref: c => `vpc-${token(c, 'vpc', 17)}`,
    attrs: {
      VpcId: self,
      CidrBlock: c => str(c, 'CidrBlock') ?? '10.0.0.0/16',
      CidrBlockAssociations: c => [`vpc-cidr-assoc-${token(c, 'assoc', 17)}`],
      DefaultNetworkAcl: c => `acl-${token(c, 'acl', 17)}`,
      DefaultSecurityGroup: c => `sg-${token(c, 'sg', 17)}`,
      Ipv6CidrBlocks: () => [],
    },
  },
  'AWS::EC2::Subnet': {
    ref: c => `subnet-${token(c, 'subnet', 17)}`,
    attrs: {
      SubnetId: self,
      AvailabilityZone: c => str(c, 'AvailabilityZone') ?? `${c.env.region}a`,
      CidrBlock: c => str(c, 'CidrBlock') ?? '10.0.0.0/24',
      VpcId: c => str(c, 'VpcId') ?? '',
      Ipv6CidrBlocks: () => [],
      NetworkAclAssociationId: c => `aclassoc-${token(c, 'aclassoc', 17)}`,
    },
  },
  'AWS::EC2::SecurityGroup': { ref: c => `sg-${token(c, 'sg', 17)}`, attrs: { GroupId: self, VpcId: c => str(c, 'VpcId') ?? '' } },
  'AWS::EC2::RouteTable': ec2Id('rtb', 'RouteTableId'),
  'AWS::EC2::InternetGateway': ec2Id('igw', 'InternetGatewayId'),
  'AWS::EC2::NatGateway': ec2Id('nat', 'NatGatewayId'),
  'AWS::EC2::FlowLog': ec2Id('fl', 'Id'),
  'AWS::EC2::NetworkAcl': ec2Id('acl', 'Id'),
  'AWS::EC2::EIP': { ref: () => '203.0.113.10', attrs: { PublicIp: self, AllocationId: c => `eipalloc-${token(c, 'eip', 17)}` } },
  'AWS::EC2::VPCEndpoint': {
    ref: c => `vpce-${token(c, 'vpce', 17)}`,
    attrs: {
      Id: self,
      DnsEntries: c => {
        const service = (str(c, 'ServiceName') ?? 'service').split('.').pop();
        return [`Z7HUB22UULQXV:vpce-${token(c, 'vpce', 17)}-${token(c, 'dns', 8, LOWER)}.${service}.${c.env.region}.vpce.${c.env.urlSuffix}`];
      },
      NetworkInterfaceIds: () => [],
      CreationTimestamp: () => '2024-01-01T00:00:00.000Z',
    },
  },
  'AWS::Signer::SigningProfile': {
    name: signerName,
    ref: signerArn,
    attrs: { Arn: self, ProfileName: nameAttr, ProfileVersion: () => 'v1Abc', ProfileVersionArn: (c, n) => `${signerArn(c, n)}/v1Abc` },
  },
  'AWS::CodeDeploy::Application': byName('ApplicationName'),
  'AWS::CodeDeploy::DeploymentGroup': byName('DeploymentGroupName'),
  'AWS::CodeDeploy::DeploymentConfig': byName('DeploymentConfigName'),
  'AWS::CloudTrail::Trail': byName('TrailName', { Arn: (c, n) => arn(c, 'cloudtrail', `trail/${n}`) }),
  'AWS::DynamoDB::Table': byName('TableName', {
    Arn: (c, n) => arn(c, 'dynamodb', `table/${n}`),
    StreamArn: (c, n) => arn(c, 'dynamodb', `table/${n}/stream/2024-01-01T00:00:00.000`),
  }),
  'AWS::Kinesis::Stream': byName('Name', { Arn: (c, n) => arn(c, 'kinesis', `stream/${n}`) }),
  'AWS::ECR::Repository': {
    name: c => (str(c, 'RepositoryName') ?? generatedName(c)).toLowerCase(),
    ref: (_c, n) => n,
    attrs: { Arn: (c, n) => arn(c, 'ecr', `repository/${n}`), RepositoryUri: (c, n) => `${c.env.account}.dkr.ecr.${c.env.region}.${c.env.urlSuffix}/${n}` },
  },
  'AWS::StepFunctions::StateMachine': {
    name: named('StateMachineName'),
    ref: (c, n) => arn(c, 'states', `stateMachine:${n}`),
    attrs: { Arn: self, Name: nameAttr },
  },
  'AWS::ApiGateway::RestApi': restApi,
  'AWS::ApiGatewayV2::Api': {
    ref: c => token(c, 'api', 10, LOWER),
    attrs: { ApiId: self, ApiEndpoint: c => `https://${token(c, 'api', 10, LOWER)}.execute-api.${c.env.region}.${c.env.urlSuffix}` },
  },
  'AWS::ApiGateway::Stage': { name: c => str(c, 'StageName') ?? 'prod', ref: (_c, n) => n },
  'AWS::ApiGateway::Deployment': { ref: c => token(c, 'deployment', 6, LOWER), attrs: { DeploymentId: self } },
  'AWS::ApiGateway::Resource': { ref: c => token(c, 'resource', 6, LOWER), attrs: { ResourceId: self } },
  'AWS::ApiGateway::Authorizer': { ref: c => token(c, 'authorizer', 6, LOWER), attrs: { AuthorizerId: self } },
  'AWS::ApiGatewayV2::Stage': { name: c => str(c, 'StageName') ?? '$default', ref: (_c, n) => n },
  'AWS::ApiGatewayV2::Integration': { ref: c => token(c, 'integration', 7, LOWER), attrs: { IntegrationId: self } },
  'AWS::ApiGatewayV2::Authorizer': { ref: c => token(c, 'authorizer', 6, LOWER), attrs: { AuthorizerId: self } },
  'AWS::ApiGatewayV2::Route': { ref: c => token(c, 'route', 7, LOWER), attrs: { RouteId: self } },
  'AWS::Cognito::UserPool': {
    ref: c => `${c.env.region}_${token(c, 'pool', 9, UPPER + LOWER)}`,
    attrs: {
      UserPoolId: self,
      Arn: (c, n) => arn(c, 'cognito-idp', `userpool/${rule(c.type).ref(c, n)}`),
      ProviderName: (c, n) => `cognito-idp.${c.env.region}.${c.env.urlSuffix}/${rule(c.type).ref(c, n)}`,
      ProviderURL: (c, n) => `https://cognito-idp.${c.env.region}.${c.env.urlSuffix}/${rule(c.type).ref(c, n)}`,
    },
  },
  'AWS::Cognito::UserPoolClient': { ref: c => token(c, 'client', 26, LOWER), attrs: { ClientId: self } },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    name: c => str(c, 'Name') ?? generatedName(c).slice(0, 32),
    ref: (c, n) => arn(c, 'elasticloadbalancing', `loadbalancer/${str(c, 'Type') === 'network' ? 'net' : 'app'}/${n}/${token(c, 'lb', 16)}`),
    attrs: {
      LoadBalancerArn: self,
      LoadBalancerName: nameAttr,
      LoadBalancerFullName: (c, n) => `${str(c, 'Type') === 'network' ? 'net' : 'app'}/${n}/${token(c, 'lb', 16)}`,
      DNSName: (c, n) => `internal-${n}-${token(c, 'dns', 10)}.${c.env.region}.elb.${c.env.urlSuffix}`,
      CanonicalHostedZoneID: () => 'Z35SXDOTRQ7X7K',
      SecurityGroups: c => [`sg-${token(c, 'sg', 17)}`],
    },
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    name: c => str(c, 'Name') ?? generatedName(c).slice(0, 32),
    ref: (c, n) => arn(c, 'elasticloadbalancing', `targetgroup/${n}/${token(c, 'tg', 16)}`),
    attrs: { TargetGroupArn: self, TargetGroupName: nameAttr, TargetGroupFullName: (c, n) => `targetgroup/${n}/${token(c, 'tg', 16)}` },
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    ref: c => `${listenerBase(c)}/${token(c, 'listener', 16)}`,
    attrs: { ListenerArn: self },
  },
  'AWS::Scheduler::Schedule': byName('Name', {
    Arn: (c, n) => arn(c, 'scheduler', `schedule/${str(c, 'GroupName') ?? 'default'}/${n}`),
  }),
  'AWS::Scheduler::ScheduleGroup': byName('Name', { Arn: (c, n) => arn(c, 'scheduler', `schedule-group/${n}`) }),
  'AWS::Kinesis::StreamConsumer': {
    name: named('ConsumerName'),
    ref: (c, n) => `${str(c, 'StreamARN') ?? arn(c, 'kinesis', 'stream/unknown')}/consumer/${n}:1704067200`,
    attrs: { ConsumerARN: self, ConsumerName: nameAttr, StreamARN: c => str(c, 'StreamARN') ?? '', ConsumerStatus: () => 'ACTIVE' },
  },
  'AWS::MSK::Cluster': {
    name: named('ClusterName'),
    ref: (c, n) => arn(c, 'kafka', `cluster/${n}/${uuid(c, 'cluster')}-1`),
    attrs: { Arn: self },
  },
  'AWS::SNS::Subscription': { ref: c => `${str(c, 'TopicArn') ?? arn(c, 'sns', 'topic')}:${uuid(c, 'subscription')}`, attrs: { Arn: self } },
  'Custom::ManagedPrefixList': { ref: managedPrefixListId, attrs: { PrefixListId: managedPrefixListId } },
  'AWS::Config::ConfigRule': byName('ConfigRuleName', {
    'Arn': c => arn(c, 'config', `config-rule/config-rule-${token(c, 'rule', 6, LOWER)}`),
    'ConfigRuleId': c => `config-rule-${token(c, 'rule', 6, LOWER)}`,
    'Compliance.Type': () => 'COMPLIANT',
  }),
};

const CUSTOM: TypeRule = { ref: c => `${c.logicalId}-physical` };
const OTHER: TypeRule = { ref: c => `${c.logicalId}-physical-id` };

function rule(type: string): TypeRule {
  return TABLE[type] ?? (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource' ? CUSTOM : OTHER);
}

/**
 * What Ref (attribute undefined) or Fn::GetAtt gives for the resource. An
 * attribute the table does not know gives the placeholder `${logicalId}.${attribute}`.
 */
export function physicalValue(c: PhysicalContext, attribute?: string): AttrValue {
  const r = rule(c.type);
  const name = (r.name ?? generatedName)(c);
  if (attribute === undefined) return r.ref(c, name);
  const attr = r.attrs && Object.prototype.hasOwnProperty.call(r.attrs, attribute) ? r.attrs[attribute] : undefined;
  return attr ? attr(c, name) : `${c.logicalId}.${attribute}`;
}
