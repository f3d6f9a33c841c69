import * as ec2 from 'aws-cdk-lib/aws-ec2';

/*
 * Which VPC endpoint a function needs for the API calls a grant allows. The interface
 * endpoints are every static member of `ec2.InterfaceVpcEndpointAwsService`, read at load
 * time; each carries the calls of one IAM service prefix (Service Authorization Reference):
 * the part of its short name before the first dot (`airflow.api` → airflow), or an entry of
 * PREFIX_OF where the names differ. S3 and DynamoDB use their (free) gateway endpoints.
 */

/** Endpoints whose short name is not the IAM prefix of the calls they carry. */
const PREFIX_OF = new Map<string, string>([
  ['monitoring', 'cloudwatch'], ['kinesis-streams', 'kinesis'], ['kinesis-firehose', 'firehose'],
  ['appconfigdata', 'appconfig'], ['sync-states', 'states'], ['dynamodb-streams', 'dynamodb'],
  ['bedrock-runtime', 'bedrock'], ['bedrock-agent', 'bedrock'], ['bedrock-agent-runtime', 'bedrock'],
  ['bedrock-data-automation', 'bedrock'], ['bedrock-data-automation-runtime', 'bedrock'],
  // SES API v2, SMTP (ses:SendRawEmail), Mail Manager
  ['email', 'ses'], ['email-smtp', 'ses'], ['mail-manager', 'ses'],
  ['partner-app', 'sagemaker'], // sagemaker:CallPartnerAppApi
  // Cloud Control API actions are cloudformation:*Resource*
  ['cloudcontrolapi', 'cloudformation'], ['data-servicediscovery', 'servicediscovery'], ['cloudhsmv2', 'cloudhsm'],
  ['appmesh-envoy-management', 'appmesh'], ['appsync-api', 'appsync'], ['arsenal-discovery', 'arsenal'],
  ['evidently-dataplane', 'evidently'], ['rum-dataplane', 'rum'], ['forecastquery', 'forecast'],
  ['git-codecommit', 'codecommit'], ['deviceadvisor.iot', 'iotdeviceadvisor'], ['iot.fleethub.api', 'iotfleethub'],
  ['runtime-medical-imaging', 'medical-imaging'], ['dicom-medical-imaging', 'medical-imaging'],
  ['models-v2-lex', 'lex'], ['runtime-v2-lex', 'lex'], ['memory-db', 'memorydb'],
  // Amazon Location v2 APIs have prefixes of their own; v1 geo:* actions are routed by ACTION_RULES
  ['geo.maps', 'geo-maps'], ['geo.places', 'geo-places'], ['geo.routes', 'geo-routes'],
  ['neptune-graph-data', 'neptune-graph'], ['networkflowmonitorreports', 'networkflowmonitor'],
  ['analytics-omics', 'omics'], ['control-storage-omics', 'omics'], ['storage-omics', 'omics'],
  ['tags-omics', 'omics'], ['workflows-omics', 'omics'],
  ['personalize-events', 'personalize'], ['personalize-runtime', 'personalize'],
  ['pinpoint', 'mobiletargeting'], ['pinpoint-sms-voice-v2', 'sms-voice'], ['aps-workspaces', 'aps'],
  ['service.user-subscriptions', 'user-subscriptions'], ['streaming-rekognition', 'rekognition'],
  ['servicecatalog-appregistry', 'servicecatalog'], ['tagging', 'tag'], ['transcribestreaming', 'transcribe'],
  ['emr-serverless-services.livy', 'emr-serverless'], ['ecs-agent', 'ecs'], ['ecs-telemetry', 'ecs'],
  ['elasticbeanstalk-health', 'elasticbeanstalk'], ['guardduty-data', 'guardduty'],
]);

/** Endpoints chosen for no grant, and why. FIPS endpoints (`*-fips`) are left out too. */
const UNMAPPED: Record<string, string> = {
  's3': 'the free S3 gateway endpoint carries s3 calls',
  'dynamodb': 'the free DynamoDB gateway endpoint carries dynamodb calls',
  's3-global.accesspoint': 'Multi-Region Access Point requests; s3 calls go through the gateway endpoint',
  'console': 'AWS Management Console pages in a browser, not API calls',
  'signin': 'console sign-in in a browser, not API calls',
  'notebook': 'SageMaker notebook instance web UI in a browser',
  'studio': 'SageMaker Studio web UI in a browser',
  'grafana-workspace': 'Grafana workspace web UI in a browser',
  'quicksight-website': 'QuickSight website in a browser',
  'glue.dashboard': 'Spark UI of Glue jobs in a browser',
  'emr-serverless.dashboard': 'Spark UI of EMR Serverless jobs in a browser',
  'appstream.streaming': 'AppStream 2.0 streaming sessions of users',
  'apprunner.requests': 'requests to your own private App Runner service, not an AWS API',
  'transfer.server': 'SFTP traffic to your own Transfer Family server, not an AWS API',
  'codecatalyst.git': 'Git traffic authenticated with CodeCatalyst tokens, not IAM',
  'codecatalyst.packages': 'package traffic authenticated with CodeCatalyst tokens, not IAM',
  'lorawan.cups': 'used by LoRaWAN gateways, not by function code',
  'lorawan.lns': 'used by LoRaWAN gateways, not by function code',
  'iot.credentials': 'IoT devices exchange X.509 certificates for credentials here',
  'airflow.env': 'used by the MWAA environment itself',
  'airflow.ops': 'used by the MWAA environment itself',
  'eks-proxy': 'no IAM prefix verified for its traffic',
  'pipes-data': 'no IAM prefix verified for its traffic',
  'experiments': 'no IAM prefix verified for its traffic',
  'emrwal.prod': 'no IAM prefix in the Service Authorization Reference',
  'elastic-inference.runtime': 'no IAM prefix in the Service Authorization Reference (service retired)',
  'iotroborunner': 'no IAM prefix in the Service Authorization Reference (service retired)',
};

/**
 * The endpoint of a prefix when several carry its calls and none is named after it, or
 * when the one named after it is not the one function code mostly calls.
 */
const PRIMARY = new Map<string, string>([
  ['bedrock', 'bedrock-runtime'], ['appconfig', 'appconfigdata'], ['ecr', 'ecr.api'], ['sagemaker', 'sagemaker.runtime'],
  ['ses', 'email'], ['lex', 'runtime-v2-lex'], ['codeartifact', 'codeartifact.api'], ['deadline', 'deadline.management'],
  ['geo', 'geo.metadata'], ['iotsitewise', 'iotsitewise.api'], ['iottwinmaker', 'iottwinmaker.api'],
  ['payment-cryptography', 'payment-cryptography.dataplane'], ['omics', 'workflows-omics'],
  ['managedblockchain', 'managedblockchain.bitcoin.mainnet'],
]);

/**
 * A rule of endpointForAction: the actions of `prefix` matching `actions` use `endpoint`;
 * need none; or have no private path from a VPC at all.
 */
interface ActionRule {
  readonly prefix: string;
  readonly actions: RegExp;
  readonly endpoint?: string;
  readonly none?: string;
  readonly unreachable?: string;
}

const use = (prefix: string, actions: RegExp, endpoint: string): ActionRule => ({ prefix, actions, endpoint });
const none = (prefix: string, actions: RegExp, reason: string): ActionRule => ({ prefix, actions, none: reason });
const unreachable = (prefix: string, actions: RegExp, reason: string): ActionRule => ({ prefix, actions, unreachable: reason });

/**
 * Global services whose endpoint service exists only where their control plane runs, by
 * partition: IAM's (com.amazonaws.iam) in us-east-1 for the commercial regions. Elsewhere a
 * VPC reaches it only through a Transit Gateway to a VPC of that region.
 */
const CONTROL_PLANE_REGION: Record<string, Record<string, string>> = {
  iam: { 'aws': 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-north-1' },
};

/** The regions, by partition, where the endpoint of a global service with this IAM prefix exists, or undefined for a regional one. */
export function controlPlaneRegions(prefix: string): Readonly<Record<string, string>> | undefined {
  return CONTROL_PLANE_REGION[prefix];
}

/**
 * First match wins; an action no rule matches uses the prefix's primary endpoint. `/^[a-z]/i`
 * rules take the remaining named actions to the control-plane endpoint, so `prefix:*` still
 * gets the primary one.
 */
const ACTION_RULES: ActionRule[] = [
  unreachable('execute-api', /^ManageConnections$/i, 'the @connections management API of WebSocket APIs has no VPC endpoint: the execute-api '
    + 'endpoint serves private REST APIs only, and its private DNS would capture the API\'s hostname'),
  none('iam', /^PassRole$/i, 'permission only: the service the role is passed to checks it; no IAM API call'),
  none('rds-db', /./, 'IAM auth token is signed locally (SigV4); the connection goes to the database in the VPC'),
  none('dsql', /^DbConnect(Admin)?$/i, 'auth token is signed locally (SigV4); the connection goes to the cluster, '
    + 'from an isolated VPC through the cluster\'s own PrivateLink service (dsql:GetVpcEndpointServiceName)'),
  none('elasticfilesystem', /^Client(Mount|Write|RootAccess)$/i, 'checked by EFS at NFS mount time through a mount target in the VPC'),
  none('kafka-cluster', /./, 'checked by the MSK brokers (IAM access control) in the VPC; no AWS API call'),
  none('neptune-db', /./, 'checked by the Neptune cluster in the VPC on each query; no AWS API call'),
  none('es', /^ESHttp/i, 'HTTP requests go to the OpenSearch domain endpoint (in the VPC for a VPC domain)'),
  none('aoss', /^(APIAccessAll|DashboardsAccessAll)$/i, 'requests go to the collection, through an OpenSearch Serverless '
    + 'VPC endpoint (aoss:CreateVpcEndpoint), not an ec2 endpoint service'),
  use('bedrock', /^(InvokeModel|Converse|ApplyGuardrail|CountTokens|(Start|Get|List)AsyncInvoke)/i, 'bedrock-runtime'),
  use('bedrock', /^(InvokeAgent|InvokeInlineAgent|Retrieve|RetrieveAndGenerate|Rerank|InvokeFlow|OptimizePrompt)$/i,
    'bedrock-agent-runtime'),
  use('bedrock', /^((Get|Delete)AgentMemory|(Create|Get|Update|Delete|End|List)Sessions?)$|FlowExecution/i, 'bedrock-agent-runtime'),
  use('bedrock', /^(InvokeDataAutomation(Async)?|GetDataAutomationStatus)$/i, 'bedrock-data-automation-runtime'),
  use('bedrock', /DataAutomation|Blueprint/i, 'bedrock-data-automation'),
  use('bedrock', /Agent|KnowledgeBase|DataSource|IngestionJob|Flow|^(Create|Get|Update|Delete|List)Prompt(s|Version)?$/i, 'bedrock-agent'),
  use('bedrock', /^[a-z]/i, 'bedrock'),
  use('appconfig', /^(StartConfigurationSession|GetLatestConfiguration)$/i, 'appconfigdata'),
  use('appconfig', /^[a-z]/i, 'appconfig'),
  use('states', /^StartSyncExecution$/i, 'sync-states'),
  use('dynamodb', /^(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/i, 'dynamodb-streams'),
  use('sagemaker', /^InvokeEndpoint/i, 'sagemaker.runtime'),
  use('sagemaker', /^(Get|Put|Delete|BatchGet|BatchWrite)Record$/i, 'sagemaker.featurestore-runtime'),
  use('sagemaker', /^Batch(Get|Put)Metrics$/i, 'sagemaker.metrics'),
  use('sagemaker', /^CallPartnerAppApi$/i, 'partner-app'),
  use('sagemaker', /^[a-z]/i, 'sagemaker.api'),
  use('lex', /^(RecognizeText|RecognizeUtterance|StartConversation|(Put|Get|Delete)Session)$/i, 'runtime-v2-lex'),
  use('lex', /^[a-z]/i, 'models-v2-lex'),
  use('payment-cryptography', /^(Encrypt|Decrypt|ReEncrypt)Data$|^(Generate|Verify|Translate)(?!.*Kek)/i, 'payment-cryptography.dataplane'),
  use('payment-cryptography', /^[a-z]/i, 'payment-cryptography.controlplane'),
  use('cloudformation', /^(Create|Get|Update|Delete|List)Resources?$|ResourceRequest/i, 'cloudcontrolapi'),
  use('servicediscovery', /^DiscoverInstances/i, 'data-servicediscovery'),
  use('codeartifact', /^(ReadFromRepository|PublishPackageVersion)$/i, 'codeartifact.repositories'),
  use('codecommit', /^Git(Pull|Push)$/i, 'git-codecommit'),
  use('personalize', /^Put(Events|Items|Users|Actions|ActionInteractions)$/i, 'personalize-events'),
  use('personalize', /^Get(Recommendations|PersonalizedRanking|ActionRecommendations)$/i, 'personalize-runtime'),
  use('forecast', /^Query(WhatIf)?Forecast$/i, 'forecastquery'),
  use('transcribe', /Stream/i, 'transcribestreaming'),
  use('medical-imaging', /DICOM/i, 'dicom-medical-imaging'),
  use('medical-imaging', /^Get(ImageFrame|ImageSetMetadata)$/i, 'runtime-medical-imaging'),
  use('neptune-graph', /DataViaQuery$|^(CancelQuery|GetQueryStatus)$/i, 'neptune-graph-data'),
  use('aps', /^(RemoteWrite|QueryMetrics|GetSeries|GetLabels|GetMetricMetadata)$/i, 'aps-workspaces'),
  use('iotsitewise', /PropertyValue/i, 'iotsitewise.data'),
  use('geo', /^(BatchDelete|BatchEvaluate|BatchPut|Forecast|Get|List|Put)Geofences?(Events)?$/i, 'geo.geofencing'),
  use('geo', /DevicePosition/i, 'geo.tracking'),
  use('managedblockchain', /Testnet/i, 'managedblockchain.bitcoin.testnet'),
  use('evidently', /^(BatchEvaluateFeature|EvaluateFeature|PutProjectEvents)$/i, 'evidently-dataplane'),
  use('rum', /^PutRumEvents$/i, 'rum-dataplane'),
  use('appmesh', /^StreamAggregatedResources$/i, 'appmesh-envoy-management'),
  use('emr-serverless', /^AccessLivyEndpoints$/i, 'emr-serverless-services.livy'),
  use('bedrock-agentcore', /^InvokeGateway$/i, 'bedrock-agentcore.gateway'),
  use('ecs', /^(Poll|DiscoverPollEndpoint)$/i, 'ecs-agent'),
  use('ecs', /^(StartTelemetrySession|PutSystemLogEvents)$/i, 'ecs-telemetry'),
  use('elasticbeanstalk', /^PutInstanceStatistics$/i, 'elasticbeanstalk-health'),
  use('guardduty', /^SendSecurityTelemetry$/i, 'guardduty-data'),
];

const GATEWAY_SERVICES: Record<string, ec2.GatewayVpcEndpointAwsService> = {
  s3: ec2.GatewayVpcEndpointAwsService.S3,
  dynamodb: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
};

/** Every interface endpoint service CDK knows, by short name (aliases share one). */
const SERVICES = new Map<string, ec2.InterfaceVpcEndpointAwsService>();
for (const key of Object.getOwnPropertyNames(ec2.InterfaceVpcEndpointAwsService)) {
  const value: unknown = (ec2.InterfaceVpcEndpointAwsService as unknown as Record<string, unknown>)[key];
  if (value instanceof ec2.InterfaceVpcEndpointAwsService && !SERVICES.has(value.shortName)) {
    SERVICES.set(value.shortName, value);
  }
}

/** Short name → IAM prefix, for the mapped endpoints. */
const PREFIXES = new Map<string, string>();
for (const name of SERVICES.keys()) {
  if (!(name in UNMAPPED) && !name.endsWith('-fips')) {
    PREFIXES.set(name, PREFIX_OF.get(name) ?? name.split('.')[0]);
  }
}

/** IAM prefix → the endpoint its grants get (gateway prefixes have none here). */
const PRIMARIES = new Map<string, string>();
for (const [name, prefix] of PREFIXES) {
  const named = [...PREFIXES].filter(([, p]) => p === prefix).map(([n]) => n);
  const primary = PRIMARY.get(prefix) ?? (named.includes(prefix) ? prefix : named.length === 1 ? named[0] : undefined);
  if (!(prefix in GATEWAY_SERVICES) && name === primary) {
    PRIMARIES.set(prefix, name);
  }
}

/**
 * The VPC endpoint an IAM action needs, as endpointForAction() describes it: an interface or
 * gateway endpoint; none, because the action is checked without the function calling that
 * service's API or its traffic goes to a resource in the VPC; or unknown.
 */
export type EndpointNeed =
  | { readonly kind: 'interface'; readonly service: ec2.InterfaceVpcEndpointAwsService }
  | { readonly kind: 'gateway'; readonly service: ec2.GatewayVpcEndpointAwsService }
  | { readonly kind: 'none-needed'; readonly reason: string }
  | { readonly kind: 'no-private-path'; readonly reason: string }
  | { readonly kind: 'unknown' };

/**
 * The VPC endpoint a function granted `action` (`prefix:Name`, wildcards allowed) needs to
 * make that call from an isolated VPC. Only the endpoint of the API call itself: pulling an
 * ECR image (ecr:BatchGetImage, GetDownloadUrlForLayer) with docker also needs `ecr.dkr` and
 * S3, which the grant does not name.
 */
export function endpointForAction(action: string): EndpointNeed {
  const [service, name = '*'] = action.split(':');
  const prefix = service.toLowerCase();
  const rule = ACTION_RULES.find((r) => r.prefix === prefix && r.actions.test(name));
  if (rule?.none) {
    return { kind: 'none-needed', reason: rule.none };
  }
  if (rule?.unreachable) {
    return { kind: 'no-private-path', reason: rule.unreachable };
  }
  if (rule?.endpoint) {
    return { kind: 'interface', service: SERVICES.get(rule.endpoint)! };
  }
  if (prefix in GATEWAY_SERVICES) {
    return { kind: 'gateway', service: GATEWAY_SERVICES[prefix] };
  }
  const primary = PRIMARIES.get(prefix);
  return primary ? { kind: 'interface', service: SERVICES.get(primary)! } : { kind: 'unknown' };
}

/** Whether an endpoint is known for the service with this IAM prefix. */
export function isKnownEndpointService(prefix: string): boolean {
  return PRIMARIES.has(prefix) || prefix in GATEWAY_SERVICES;
}

/**
 * The endpoint service name (`com.amazonaws.<region>.<name>`) of the service
 * with this IAM prefix, or undefined when no endpoint is known.
 */
export function endpointServiceName(prefix: string): string | undefined {
  return PRIMARIES.get(prefix) ?? (prefix in GATEWAY_SERVICES ? prefix : undefined);
}

/** Whether calls to this service go through a (free) gateway endpoint. */
export function isGatewayService(prefix: string): boolean {
  return prefix in GATEWAY_SERVICES;
}

/** The gateway endpoint service of S3 or DynamoDB, by IAM prefix. */
export function gatewayServiceFor(prefix: string): ec2.GatewayVpcEndpointAwsService | undefined {
  return GATEWAY_SERVICES[prefix];
}

/** The interface endpoint service that grants of this IAM prefix get, if any. */
export function interfaceServiceFor(prefix: string): ec2.InterfaceVpcEndpointAwsService | undefined {
  const primary = PRIMARIES.get(prefix);
  return primary ? SERVICES.get(primary) : undefined;
}

/** The IAM prefix whose calls an interface endpoint carries, or undefined when it is not mapped. */
export function iamPrefixOf(service: ec2.InterfaceVpcEndpointAwsService): string | undefined {
  return PREFIXES.get(service.shortName);
}

/** Why an interface endpoint is chosen for no grant, or undefined when it is mapped. */
export function unmappedReason(service: ec2.InterfaceVpcEndpointAwsService): string | undefined {
  if (PREFIXES.has(service.shortName)) {
    return undefined;
  }
  return UNMAPPED[service.shortName] ?? (service.shortName.endsWith('-fips')
    ? 'FIPS variant: chosen explicitly, never from a grant' : 'not an endpoint service CDK knows');
}

/**
 * The construct id and the label in descriptions of an interface endpoint. The endpoint a
 * prefix's grants get keeps the id and descriptions derived from the prefix (changing them
 * replaces deployed endpoints); the others are named after the endpoint, with an `Endpoint`
 * suffix (and `(interface)` label) where that would clash with a prefix's: the `bedrock`
 * control plane, the S3 and DynamoDB interface endpoints.
 */
export function endpointNaming(shortName: string): { id: string; label: string } {
  const prefix = PREFIXES.get(shortName);
  if (prefix !== undefined && PRIMARIES.get(prefix) === shortName) {
    return { id: endpointId(prefix), label: prefix };
  }
  const id = endpointId(shortName);
  const clash = [...PRIMARIES.keys(), ...Object.keys(GATEWAY_SERVICES)].some((p) => endpointId(p) === id);
  return clash ? { id: `${id}Endpoint`, label: `${shortName} (interface)` } : { id, label: shortName };
}

/** The construct id an endpoint of `prefix` (or short name) gets: `secretsmanager` gives `Secretsmanager`. */
export function endpointId(prefix: string): string {
  return prefix.split(/[^a-zA-Z0-9]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
