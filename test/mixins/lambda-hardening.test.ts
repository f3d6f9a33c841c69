import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as golambda from '@aws-cdk/aws-lambda-go-alpha';
import { CfnResource, Environment, Mixins, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2Integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { HardenedFunction, LambdaHardening, LambdaRulesAspect } from '../../src';
import { accessModel, AccessReport, modelProblems, NO_MODEL_PROBLEMS } from '../support/access-model/access-model';
import { conformanceRun } from '../support/conformance';
import { HANDLER_ASSET, newStack, testOwned } from '../support/fixtures';
import { hardenedNodejsFunction, nodejsFunction } from '../support/hardened';
import { sourceQueue } from '../support/integrations';


/** A dependency-free Go handler (Runtime API over net/http), built by the local Go toolchain. */
const GO_ENTRY = path.join(__dirname, '..', 'support', 'go-entry');
const hasGo = spawnSync('go', ['version']).status === 0;
const goTest = hasGo ? test : test.skip;
if (!hasGo) {
  console.warn('lambda-hardening: `go` is not on PATH, so the GoFunction cases are skipped (install Go to run them).');
}

/** An image pinned by digest: what allowUnsignedContainerImage asks for. */
const IMAGE_DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const ENVS: ReadonlyArray<readonly [string, Environment | undefined]> = [
  ['an environment-agnostic stack', undefined],
  ['a stack of account 111111111111 in eu-west-1', { account: '111111111111', region: 'eu-west-1' }],
];

/** What a case built: its hardened AWS::Lambda::Function resources. */
interface Built {
  readonly functions: CfnResource[];
  /** A container image: no code-signing config. */
  readonly image?: boolean;
}

interface Kind {
  readonly build: (stack: Stack) => Built;
  /** The access model proves more intended accesses than this. */
  readonly minIntended: number;
  readonly needsGo?: boolean;
  /**
   * Judged in the stack of an account only: what the case shows does not
   * depend on the environment (the suite's time is every change's cost).
   */
  readonly envSpecificOnly?: boolean;
}

/** The resources the tests grant on, built once per stack as test/support/integrations.ts builds them. */
function grantTargets(stack: Stack): { table: dynamodb.Table; queue: sqs.Queue; secret: secretsmanager.Secret } {
  const owned = testOwned(stack);
  const table = (owned.node.tryFindChild('Table') as dynamodb.Table | undefined) ?? new dynamodb.Table(owned, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  const queue = (owned.node.tryFindChild('Outbox') as sqs.Queue | undefined) ?? sourceQueue(stack, 'Outbox');
  const secret = (owned.node.tryFindChild('AppSecret') as secretsmanager.Secret | undefined) ?? new secretsmanager.Secret(owned, 'AppSecret');
  return { table, queue, secret };
}

/** The grants apps add once their function exists: here after the mixin. */
function grantAll(stack: Stack, grantee: iam.IGrantable): void {
  const { table, queue, secret } = grantTargets(stack);
  table.grantReadData(grantee);
  queue.grantSendMessages(grantee);
  secret.grantRead(grantee);
}

/** A function's AWS::Lambda::Function resource. */
function resourceOf(fn: IConstruct): CfnResource {
  return fn instanceof lambda.CfnFunction ? fn : fn.node.defaultChild as CfnResource;
}

/** What LambdaHardening.of returned for the SingletonFunction of the last build. */
let singletonParts: { of?: HardenedFunction; inner?: lambda.IFunction } = {};

const KINDS: Record<string, Kind> = {
  'a NodejsFunction bundled by esbuild, fn.with(new LambdaHardening())': {
    minIntended: 70,
    build: (stack) => {
      const fn = hardenedNodejsFunction(stack, 'Fn');
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'two NodejsFunctions, Mixins.of(stack).apply(new LambdaHardening()) once they exist': {
    minIntended: 100,
    build: (stack) => {
      const orders = nodejsFunction(stack, 'Orders');
      const billing = nodejsFunction(stack, 'Billing');
      Mixins.of(stack).apply(new LambdaHardening());
      grantAll(stack, orders);
      grantTargets(stack).table.grantReadData(billing);
      return { functions: [resourceOf(orders), resourceOf(billing)] };
    },
  },
  'a GoFunction built by the local Go toolchain (arm64)': {
    minIntended: 70,
    needsGo: true,
    build: (stack) => {
      const fn = new golambda.GoFunction(stack, 'GoFn', {
        entry: GO_ENTRY,
        runtime: lambda.Runtime.PROVIDED_AL2023,
        architecture: lambda.Architecture.ARM_64,
        bundling: { forcedDockerBundling: false },
      });
      fn.with(new LambdaHardening());
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'a SingletonFunction from an asset, singleton.with(new LambdaHardening())': {
    minIntended: 70,
    build: (stack) => {
      const singleton = new lambda.SingletonFunction(stack, 'Singleton', {
        uuid: '5f3a8c2e-1d4b-4e6f-9a7c-0b2d4e6f8a1c',
        lambdaPurpose: 'Worker',
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromAsset(HANDLER_ASSET),
      });
      singleton.with(new LambdaHardening());
      grantAll(stack, singleton);
      const of = LambdaHardening.of(singleton);
      singletonParts = { of, inner: of?.function };
      return { functions: [resourceOf(of!.function as lambda.Function)] };
    },
  },
  'a plain lambda.Function from an asset': {
    minIntended: 70,
    build: (stack) => {
      const fn = new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) });
      fn.with(new LambdaHardening());
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'a lambda.Function with inline Node.js code (Code.fromInline), staged as index.js and signed': {
    minIntended: 70,
    envSpecificOnly: true,
    build: (stack) => {
      const fn = new lambda.Function(stack, 'Inline', {
        runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
      });
      fn.with(new LambdaHardening());
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'a lambda.Function with a log group of its own in the stack, adopted (the key, the retention)': {
    minIntended: 70,
    envSpecificOnly: true,
    build: (stack) => {
      const logGroup = new logs.LogGroup(stack, 'OwnLogs', { retention: logs.RetentionDays.INFINITE });
      const fn = new lambda.Function(stack, 'OwnLogged', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET), logGroup });
      fn.with(new LambdaHardening());
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'a lambda.Function in a VPC of the stack whose own security group allowed all outbound, closed and opened to its database': {
    minIntended: 70,
    envSpecificOnly: true,
    build: (stack) => {
      const vpc = new ec2.Vpc(testOwned(stack), 'AppVpc', {
        maxAzs: 2,
        natGateways: 0,
        restrictDefaultSecurityGroup: false,
        subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      const fn = new lambda.Function(stack, 'InVpc', {
        runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET), vpc,
      });
      const database = new ec2.SecurityGroup(testOwned(stack), 'Database', { vpc, allowAllOutbound: false });
      database.connections.allowFrom(fn, ec2.Port.tcp(5432));
      fn.with(new LambdaHardening());
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'a lambda.Function made a REST API token authorizer before the mixin (its permission gets the account beside the built ARN)': {
    minIntended: 70,
    build: (stack) => {
      const fn = new lambda.Function(stack, 'Authorizer', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) });
      const api = new apigw.RestApi(testOwned(stack), 'Api', { cloudWatchRole: false, deployOptions: { tracingEnabled: true } });
      api.root.addMethod('GET', new apigw.MockIntegration(), { authorizer: new apigw.TokenAuthorizer(testOwned(stack), 'Token', { handler: fn }) });
      Mixins.of(stack).apply(new LambdaHardening());
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'a lambda.Function with no timeout reading an SQS queue without a redrive policy, wired before the mixin (the queue is fixed)': {
    minIntended: 70,
    envSpecificOnly: true,
    build: (stack) => {
      const fn = new lambda.Function(stack, 'Consumer', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) });
      const key = new kms.Key(testOwned(stack), 'JobsKey', { enableKeyRotation: true });
      fn.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Jobs', { encryptionMasterKey: key, enforceSSL: true })));
      Mixins.of(stack).apply(new LambdaHardening());
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'a WebSocket API handler posting to @connections, with the named opt-in and the egress path it chose': {
    minIntended: 70,
    envSpecificOnly: true,
    build: (stack) => {
      const fn = new lambda.Function(stack, 'Socket', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) });
      fn.with(new LambdaHardening({ servicesWithoutEndpoint: ['execute-api'] }));
      const api = new apigwv2.WebSocketApi(testOwned(stack), 'Messages', {
        defaultRouteOptions: { integration: new apigwv2Integrations.WebSocketLambdaIntegration('Handler', fn) },
      });
      const stage = new apigwv2.WebSocketStage(testOwned(stack), 'MessagesProd', { webSocketApi: api, stageName: 'prod', autoDeploy: true });
      stage.grantManagementApiAccess(fn);
      LambdaHardening.of(fn)!.securityGroup.addEgressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443), 'HTTPS to the egress proxy, for @connections');
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)] };
    },
  },
  'a CfnFunction with inline Python code (ZipFile), staged as index.py and signed': {
    minIntended: 70,
    envSpecificOnly: true,
    build: (stack) => {
      const role = new iam.Role(stack, 'InlineRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const cfn = new lambda.CfnFunction(stack, 'InlinePy', {
        role: role.roleArn,
        runtime: 'python3.15',
        handler: 'index.handler',
        code: { zipFile: 'def handler(event, context):\n    return {"ok": True}\n' },
      });
      cfn.with(new LambdaHardening());
      grantAll(stack, role);
      return { functions: [resourceOf(cfn)] };
    },
  },
  'a CfnFunction whose code is an s3_assets.Asset and whose role is an iam.Role of the app': {
    minIntended: 70,
    build: (stack) => {
      const asset = new s3assets.Asset(stack, 'L1Code', { path: HANDLER_ASSET });
      const role = new iam.Role(stack, 'L1Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const cfn = new lambda.CfnFunction(stack, 'L1', {
        role: role.roleArn,
        runtime: 'nodejs24.x',
        handler: 'index.handler',
        code: { s3Bucket: asset.s3BucketName, s3Key: asset.s3ObjectKey },
      });
      cfn.with(new LambdaHardening());
      grantAll(stack, role);
      return { functions: [resourceOf(cfn)] };
    },
  },
  'a DockerImageFunction from ECR pinned by digest, allowUnsignedContainerImage': {
    minIntended: 65,
    build: (stack) => {
      const fn = new lambda.DockerImageFunction(stack, 'Image', { code: imageCode(stack) });
      fn.with(new LambdaHardening({ allowUnsignedContainerImage: true }));
      // The opt-in is reported as a warning by design (test/signing/function-code.test.ts): the app acknowledges it, as a user would.
      Validations.of(fn).acknowledge({ id: 'cdk-secure-function:unsigned-container-image', reason: 'pinned by digest, signed with Notation in the pipeline' });
      grantAll(stack, fn);
      return { functions: [resourceOf(fn)], image: true };
    },
  },
};

/** An image in an ECR repository of the test's: nothing to build with Docker. */
function imageCode(stack: Stack): lambda.DockerImageCode {
  const repo = new ecr.Repository(testOwned(stack), 'Repo', { imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE });
  return lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: IMAGE_DIGEST });
}

interface Judged {
  readonly template: any;
  readonly report: AccessReport;
  readonly built: Built;
  /** Findings of every suite, blocking verdicts of LambdaRulesAspect, and the model's problems. */
  readonly problems: Record<string, string[]>;
}

/** Builds a stack under every suite and LambdaRulesAspect, then runs the access model on its template. */
async function judge(env: Environment | undefined, build: (stack: Stack) => Built): Promise<Judged> {
  let guard: LambdaRulesAspect | undefined;
  let built: Built = { functions: [] };
  const { findings, template } = conformanceRun({ recommendedFlags: true, env }, (stack) => {
    built = build(stack);
    guard = LambdaRulesAspect.applyTo(stack.node.root);
  });
  const report = await accessModel(template, { account: env?.account ?? '111111111111', region: env?.region ?? 'us-east-1', stackName: 'Conformance' });
  return {
    template,
    report,
    built,
    problems: {
      findings: findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`),
      guardErrors: guard!.findings.filter((f) => f.blocking).map((f) => `${f.ruleId} at ${f.resourcePath}`),
      ...modelProblems(report),
    },
  };
}

/** The controls of a SecureFunction, on the resource itself and on its role. */
function expectHardened(template: any, fn: CfnResource, image: boolean): void {
  const id: string = Stack.of(fn).resolve(fn.logicalId);
  expect(template.Resources[id]?.Type).toBe('AWS::Lambda::Function');
  const t = Template.fromJSON({ Resources: { [id]: template.Resources[id] } });
  t.hasResource('AWS::Lambda::Function', {
    Properties: Match.objectLike({
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
      TracingConfig: { Mode: 'Active' },
      KmsKeyArn: Match.anyValue(),
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      ReservedConcurrentExecutions: Match.anyValue(),
      CodeSigningConfigArn: image ? Match.absent() : Match.anyValue(),
    }),
  });
  const roleRef = template.Resources[id].Properties.Role;
  expect(roleRef).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
  const roleId: string = roleRef['Fn::GetAtt'][0];
  const role = template.Resources[roleId];
  expect(role.Type).toBe('AWS::IAM::Role');
  expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toContain(':iam::aws:policy/');
  const attachedTo = (type: string) => Object.entries<any>(Template.fromJSON(template).findResources(type))
    .filter(([, r]) => JSON.stringify(r.Properties?.Roles ?? []).includes(JSON.stringify({ Ref: roleId })))
    .map(([policyId]) => policyId);
  expect(attachedTo('AWS::IAM::Policy')).toEqual([]);
  expect(attachedTo('AWS::IAM::ManagedPolicy').length).toBeGreaterThan(0);
}

/** The closing figures of this file. */
const totals = { runs: 0, intended: 0, negative: 0 };
afterAll(() => {
  console.log(`lambda-hardening: ${totals.runs} runs, ${totals.intended} intended accesses proven, ${totals.negative} negative paths denied`);
});

describe.each(ENVS)('LambdaHardening in %s', (_envName, env) => {
  for (const [name, kind] of Object.entries(KINDS).filter(([, k]) => env !== undefined || !k.envSpecificOnly)) {
    (kind.needsGo ? goTest : test)(`${name}, granted after the mixin: no finding, no guard error, the access model proves it`, async () => {
      const judged = await judge(env, kind.build);
      totals.runs++;
      totals.intended += judged.report.intended.allowed;
      totals.negative += judged.report.negative.denied;
      expect(judged.problems).toEqual({ findings: [], guardErrors: [], ...NO_MODEL_PROBLEMS });
      expect(judged.report.intended.total).toBeGreaterThan(kind.minIntended);
      expect(judged.built.functions.length).toBeGreaterThan(0);
      for (const fn of judged.built.functions) {
        expectHardened(judged.template, fn, judged.built.image === true);
      }
    });
  }
});

test('a custom resource provider whose onEvent handler calls IAM, in us-east-1: IAM\'s global endpoint, no finding, the access model proves it', async () => {
  const judged = await judge({ account: '111111111111', region: 'us-east-1' }, (stack) => {
    const onEvent = new lambda.Function(stack, 'OnEvent', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) });
    onEvent.addToRolePolicy(new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: ['arn:aws:iam::111111111111:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing'],
    }));
    new cr.Provider(testOwned(stack), 'Provider', { onEventHandler: onEvent });
    Mixins.of(stack).apply(new LambdaHardening());
    grantAll(stack, onEvent);
    return { functions: [resourceOf(onEvent)] };
  });
  expect(judged.problems).toEqual({ findings: [], guardErrors: [], ...NO_MODEL_PROBLEMS });
  expect(Object.values(Template.fromJSON(judged.template).findResources('AWS::EC2::VPCEndpoint')).map((r: any) => JSON.stringify(r.Properties.ServiceName)))
    .toContainEqual(expect.stringMatching(/com\.amazonaws\.iam/));
});

describe('LambdaHardening.of', () => {
  test('a hardened SingletonFunction gives the parts of the function behind it', async () => {
    await judge(undefined, KINDS['a SingletonFunction from an asset, singleton.with(new LambdaHardening())'].build);
    const { of, inner } = singletonParts;
    expect(of).toBeDefined();
    expect(inner).toBeInstanceOf(lambda.Function);
    expect(inner!.node.id).toBe('Worker5f3a8c2e1d4b4e6f9a7c0b2d4e6f8a1c');
    expect(LambdaHardening.of(inner!)).toBe(of);
    expect(of!.encryptionKey).toBeDefined();
    expect(of!.logGroup).toBeDefined();
    expect(of!.deadLetterQueue).toBeDefined();
    expect(of!.securityGroup).toBeDefined();
    expect(of!.vpc).toBeDefined();
  });

  test('an unhardened function gives undefined', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(HANDLER_ASSET) });
    expect(LambdaHardening.of(fn)).toBeUndefined();
  });
});

describe('inline code', () => {
  test.each([
    ['lambda.Function (Node.js)', 'index.js', 'exports.handler = async () => 1;', (stack: Stack, text: string) =>
      resourceOf(new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline(text) }))],
    ['CfnFunction (Python)', 'index.py', 'def handler(event, context):\n    return 1\n', (stack: Stack, text: string) =>
      new lambda.CfnFunction(stack, 'Fn', {
        role: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).roleArn,
        runtime: 'python3.15',
        handler: 'index.handler',
        code: { zipFile: text },
      })],
  ])('%s: the function deploys the signed copy of %s, holding its code, and keeps its handler', (_name, file, text, build) => {
    const stack = newStack();
    const fn = build(stack, text);
    Mixins.of(stack).apply(new LambdaHardening());
    const asset = stack.node.findAll().find((c): c is s3assets.Asset => c instanceof s3assets.Asset && c.node.id === 'InlineCode')!;
    const dir = path.resolve(Stage.of(stack)!.outdir, asset.assetPath);
    expect(fs.readdirSync(dir)).toEqual([file]);
    expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(text);
    const template = Template.fromStack(stack);
    const resource = template.toJSON().Resources[stack.resolve(fn.logicalId)];
    expect(resource.Properties.Handler).toBe('index.handler');
    expect(resource.Properties.Code).toEqual(expect.objectContaining({
      S3Bucket: expect.anything(), S3Key: expect.anything(), S3ObjectVersion: expect.anything(),
    }));
    expect(resource.Properties.Code.ZipFile).toBeUndefined();
    const signing = template.findResources('Custom::SignedLambdaCode');
    expect(Object.values(signing).map((r) => r.Properties.SourceKey)).toContain(stack.resolve(asset.s3ObjectKey));
    expect(resource.Properties.Code.S3Key['Fn::GetAtt'][0]).toMatch(/SignedCode/);
  });
});

describe('a container image', () => {
  test('without allowUnsignedContainerImage is refused, naming the opt-in', () => {
    const stack = newStack();
    const fn = new lambda.DockerImageFunction(stack, 'Image', { code: imageCode(stack) });
    expect(() => fn.with(new LambdaHardening())).toThrow(/LambdaHardening Test\/Image: 'code' is a container image.*allowUnsignedContainerImage: true/);
  });
});
