import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as fc from 'fast-check';
import { SecureFunction, SecureFunctionProps } from '../src';
import { accessModel } from './support/access-model/access-model';
import {
  codeFor, DEPRECATED_RUNTIMES, describeCombo, invalidEnvName, invalidTimeout, NEWEST_RUNTIMES,
  SAFE_VALUES, safeEnvName, secretByName, secretShapedValue, validCombo, ValidCombo,
} from './support/arbitraries';
import { conformanceRun } from './support/conformance';
import { testOwned, userVpc } from './support/fixtures';


const FUNCTIONS_PER_STACK = 10;
const VALID_RUNS = 5; // 5 stacks x 10 functions = 50 combinations
const INVALID_RUNS = 250;

/** The test's user VPC (isolated + public subnets), created once per stack. */
function sharedUserVpc(stack: Stack): ec2.IVpc {
  return (testOwned(stack).node.tryFindChild('UserVpc') as ec2.IVpc | undefined) ?? userVpc(stack);
}

/** Turns a drawn combination into props; its secrets and parameters live under TestOwned. */
function propsFor(stack: Stack, combo: ValidCombo, id: string): SecureFunctionProps {
  const owned = testOwned(stack);
  return {
    runtime: combo.runtime,
    handler: 'index.handler',
    code: codeFor(combo.runtime),
    memorySize: combo.memorySize,
    timeout: Duration.seconds(combo.timeoutSeconds),
    reservedConcurrentExecutions: combo.reservedConcurrentExecutions,
    environment: combo.environment,
    secrets: Object.fromEntries(combo.secretKeys.map((k) => [k, new secretsmanager.Secret(owned, `${id}${k}`)])),
    parameters: Object.fromEntries(combo.parameterKeys.map((k) =>
      [k, new ssm.StringParameter(owned, `${id}${k}`, { stringValue: 'orders' })])),
    vpc: combo.userVpc ? sharedUserVpc(stack) : undefined,
  };
}

describe('SecureFunction properties', () => {
  test('the newest runtime of each family is drawn from (so AwsSolutions-L1 has nothing to say)', () => {
    expect(NEWEST_RUNTIMES.map((r) => r.name)).toEqual(expect.arrayContaining(['nodejs24.x']));
    expect(NEWEST_RUNTIMES.length).toBeGreaterThanOrEqual(4);
  });

  test(`${VALID_RUNS * FUNCTIONS_PER_STACK} drawn valid prop combinations all pass conformance with zero findings, and work as wired`, async () => {
    let drawn = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(validCombo, { minLength: FUNCTIONS_PER_STACK, maxLength: FUNCTIONS_PER_STACK }),
        fc.boolean(),
        async (combos, recommendedFlags) => {
          drawn += combos.length;
          const { findings, template } = conformanceRun({ recommendedFlags }, (stack) => {
            combos.forEach((combo, i) => new SecureFunction(stack, `Fn${i}`, propsFor(stack, combo, `Fn${i}`)));
          });
          // Name the combination behind each finding (shared baseline resources have no FnN in their path).
          const explained = findings.map((f) => {
            const index = /\/Fn(\d+)(\/|$)/.exec(f.path)?.[1];
            const culprit = index === undefined ? 'shared resource' : describeCombo(combos[Number(index)]);
            return `${f.suite}: ${f.rule} at ${f.path} (recommendedFlags=${recommendedFlags}; ${culprit})`;
          });
          expect(explained).toEqual([]);
          // The access model: every access these props wire works, nothing else is open.
          const report = await accessModel(template);
          const { intended, negative, unknownReferences, network, ordering } = report;
          const problems = [...intended.failures, ...negative.failures, ...unknownReferences, ...network, ...ordering];
          expect(problems).toEqual([]);
        },
      ),
      // Each run synthesizes a whole app (seconds): report the first failure as drawn, do not shrink.
      { numRuns: VALID_RUNS, endOnFailure: true },
    );
    expect(drawn).toBe(VALID_RUNS * FUNCTIONS_PER_STACK);
  }, 600_000); // ~20 s per 10-function app under the five packs, cfn-guard and schema validation

  test(`${INVALID_RUNS} drawn invalid prop combinations each throw a SecureFunctionValidationError naming the offending prop`, () => {
    const kinds = new Map<string, number>();
    fc.assert(
      fc.property(validCombo, invalidCase, (base, bad) => {
        kinds.set(bad.kind, (kinds.get(bad.kind) ?? 0) + 1);
        const stack = new Stack(new App(), 'S');
        const props = bad.apply(stack, propsFor(stack, base, 'Base'));
        let error: unknown;
        try {
          new SecureFunction(stack, 'Fn', props);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(Error);
        const { name, message } = error as Error;
        expect({ name, message }).toEqual({ name: 'SecureFunctionValidationError', message: expect.stringContaining('SecureFunction S/Fn:') });
        for (const mention of bad.mentions) {
          expect(message).toContain(mention);
        }
        if (bad.secret !== undefined) {
          expect(message).not.toContain(bad.secret); // at most a 4-character preview
        }
      }),
      { numRuns: INVALID_RUNS },
    );
    // Every kind of invalidity was drawn (each has probability ~1/20 per run).
    expect([...kinds.keys()].sort()).toEqual([...INVALID_KINDS].sort());
  });
});

/** One way to make a valid combination invalid, and what the error must name. */
interface InvalidCase {
  readonly kind: string;
  readonly mentions: string[];
  /** A literal secret that must not appear in the error message. */
  readonly secret?: string;
  readonly apply: (stack: Stack, base: SecureFunctionProps) => SecureFunctionProps;
}

const INVALID_KINDS = new Set<string>();
function kind<T>(name: string, values: fc.Arbitrary<T>, make: (value: T) => Omit<InvalidCase, 'kind'>): fc.Arbitrary<InvalidCase> {
  INVALID_KINDS.add(name);
  return values.map((value) => {
    const c = { kind: name, ...make(value) };
    const shown = typeof value === 'object' && value !== null && !Array.isArray(value) ? String(value) : fc.stringify(value);
    return Object.assign(c, { [fc.toStringMethod]: () => `${name}(${shown})` });
  });
}

const withEnv = (base: SecureFunctionProps, name: string, value: string): SecureFunctionProps =>
  ({ ...base, environment: { ...base.environment, [name]: value } });
const ownedSecret = (stack: Stack) => new secretsmanager.Secret(testOwned(stack), 'Colliding');

/** What a caller could pass for each prop SecureFunction owns (via a cast, or from JavaScript). */
const OWNED: Record<string, (stack: Stack) => unknown> = {
  role: (s) => new iam.Role(testOwned(s), 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
  securityGroups: (s) => [new ec2.SecurityGroup(testOwned(s), 'Sg', { vpc: sharedUserVpc(s) })],
  allowAllOutbound: () => true,
  allowPublicSubnet: () => true,
  tracing: () => lambda.Tracing.ACTIVE,
  deadLetterQueue: (s) => new sqs.Queue(testOwned(s), 'Dlq'),
  deadLetterQueueEnabled: () => true,
  deadLetterTopic: (s) => new sns.Topic(testOwned(s), 'DlqTopic'),
  environmentEncryption: (s) => new kms.Key(testOwned(s), 'Key'),
  logGroup: (s) => new logs.LogGroup(testOwned(s), 'LogGroup'),
  loggingFormat: () => lambda.LoggingFormat.TEXT,
  currentVersionOptions: () => ({ removalPolicy: 'retain' }),
};

/** S3 keys and object versions a pipeline could hand over. */
const s3Key = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/))
  .map(([name, version]) => `${name}/${version}.zip`);
const objectVersion = fc.stringMatching(/^[A-Za-z0-9._]{8,32}$/);
const artifacts = (stack: Stack) => s3.Bucket.fromBucketName(testOwned(stack), 'Artifacts', 'pipeline-signed-artifacts');
const pipelineProfile = (stack: Stack) =>
  signer.SigningProfile.fromSigningProfileAttributes(testOwned(stack), 'Pipeline', { signingProfileName: 'build', signingProfileVersion: 'v1AbCdEf' });

const invalidCase: fc.Arbitrary<InvalidCase> = fc.oneof(
  kind('memorySize', fc.oneof(
    fc.integer({ min: -1_000_000, max: 127 }),
    fc.integer({ min: 10_241, max: 10_000_000 }),
    fc.double({ min: 128, max: 10240, noNaN: true }).filter((m) => !Number.isInteger(m)),
    fc.constantFrom(NaN, Infinity),
  ), (memorySize) => ({ mentions: ["'memorySize'"], apply: (_s, base) => ({ ...base, memorySize }) })),
  kind('timeout', invalidTimeout, (timeout) =>
    ({ mentions: ["'timeout'"], apply: (_s, base) => ({ ...base, timeout }) })),
  kind('reservedConcurrentExecutions', fc.oneof(
    fc.constant(0),
    fc.integer({ min: -10_000, max: -1 }),
    fc.double({ min: 0, max: 1000, noNaN: true }).filter((c) => !Number.isInteger(c)),
  ), (reservedConcurrentExecutions) =>
    ({ mentions: ["'reservedConcurrentExecutions'"], apply: (_s, base) => ({ ...base, reservedConcurrentExecutions }) })),
  kind('deprecated runtime', fc.constantFrom(...DEPRECATED_RUNTIMES), (runtime) => ({
    mentions: ["'runtime'", `'${runtime.name}'`],
    apply: (_s, base) => ({ ...base, runtime, code: codeFor(runtime) }),
  })),
  kind('secret-shaped value', fc.tuple(safeEnvName, secretShapedValue), ([name, value]) =>
    ({ mentions: [`'environment' variable '${name}'`], secret: value, apply: (_s, base) => withEnv(base, name, value) })),
  kind('secret-like name', secretByName, ([name, value]) =>
    ({ mentions: [`'environment' variable '${name}'`], secret: value, apply: (_s, base) => withEnv(base, name, value) })),
  kind('invalid environment name', invalidEnvName, (name) =>
    ({ mentions: [`'environment' variable '${name}'`], apply: (_s, base) => withEnv(base, name, 'INFO') })),
  kind('invalid secrets name', invalidEnvName, (name) => ({
    mentions: [`'secrets' variable '${name}'`],
    apply: (s, base) => ({ ...base, secrets: { ...base.secrets, [name]: ownedSecret(s) } }),
  })),
  kind('environment/secrets collision', fc.tuple(safeEnvName, fc.constantFrom(...SAFE_VALUES)), ([name, value]) => ({
    mentions: [`'secrets' variable '${name}'`, "'environment'"],
    apply: (s, base) => ({ ...withEnv(base, name, value), secrets: { ...base.secrets, [name]: ownedSecret(s) } }),
  })),
  kind('secrets/parameters collision', safeEnvName.map((n) => `REF_${n}`), (name) => ({
    mentions: [`'parameters' variable '${name}'`, "'secrets'"],
    apply: (s, base) => ({
      ...base,
      secrets: { ...base.secrets, [name]: ownedSecret(s) },
      parameters: { ...base.parameters, [name]: new ssm.StringParameter(testOwned(s), 'CollidingParam', { stringValue: 'orders' }) },
    }),
  })),
  kind('public subnet type', fc.constant('PUBLIC'), () => ({
    mentions: ["'vpcSubnets.subnetType'"],
    apply: (s, base) => ({ ...base, vpc: sharedUserVpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
  })),
  kind('public subnets chosen', fc.integer({ min: 0, max: 1 }), (index) => ({
    mentions: ["'vpcSubnets.subnets'"],
    apply: (s, base) => {
      const vpc = sharedUserVpc(s);
      return { ...base, vpc, vpcSubnets: { subnets: [vpc.isolatedSubnets[0], vpc.publicSubnets[index]] } };
    },
  })),
  kind('public-only VPC', fc.integer({ min: 1, max: 3 }), (maxAzs) => ({
    mentions: ["'vpc'", 'public subnet(s) only'],
    apply: (s, base) => ({
      ...base,
      vpc: new ec2.Vpc(testOwned(s), 'PublicOnly', {
        maxAzs, natGateways: 0, restrictDefaultSecurityGroup: false, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }],
      }),
    }),
  })),
  kind('pre-signed S3 code without objectVersion', s3Key, (key) => ({
    mentions: ["'code'", 'objectVersion', key],
    apply: (s, base) => ({ ...base, code: lambda.Code.fromBucketV2(artifacts(s), key), trustedSigningProfiles: [pipelineProfile(s)] }),
  })),
  kind('pre-signed S3 code without the profile that signed it', fc.tuple(s3Key, objectVersion), ([key, version]) => ({
    mentions: ["'trustedSigningProfiles'", 'must name the profile that signed the S3 object'],
    apply: (s, base) => ({ ...base, code: lambda.Code.fromBucketV2(artifacts(s), key, { objectVersion: version }) }),
  })),
  kind('container image without the opt-in', fc.stringMatching(/^[0-9a-f]{64}$/), (digest) => ({
    mentions: ["'code'", 'container image', 'allowUnsignedContainerImage'],
    apply: (s, base) => ({
      ...base,
      runtime: lambda.Runtime.FROM_IMAGE,
      handler: lambda.Handler.FROM_IMAGE,
      code: lambda.Code.fromEcrImage(ecr.Repository.fromRepositoryName(testOwned(s), 'Repo', 'orders'), { tagOrDigest: `sha256:${digest}` }),
    }),
  })),
  kind('own code-signing config with trust settings', fc.boolean(), (viaProfiles) => ({
    mentions: ["'codeSigningConfig'", 'cannot be combined'],
    apply: (s, base) => ({
      ...base,
      codeSigningConfig: lambda.CodeSigningConfig.fromCodeSigningConfigArn(testOwned(s), 'Csc',
        'arn:aws:lambda:eu-west-1:111111111111:code-signing-config:csc-0123456789abcdef0'),
      ...(viaProfiles
        ? { trustedSigningProfiles: [pipelineProfile(s)] }
        : { untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.WARN }),
    }),
  })),
  kind('ephemeral storage out of range', fc.oneof(fc.integer({ min: 1, max: 511 }), fc.integer({ min: 10_241, max: 100_000 })), (mib) => ({
    mentions: ["'ephemeralStorageSize'", `${mib} MiB`],
    apply: (_s, base) => ({ ...base, ephemeralStorageSize: Size.mebibytes(mib) }),
  })),
  kind('durable execution timeout out of range', fc.integer({ min: 31_622_401, max: 100_000_000 }), (seconds) => ({
    mentions: ["'durableConfig.executionTimeout'", `${seconds} seconds`],
    apply: (_s, base) => ({ ...base, durableConfig: { executionTimeout: Duration.seconds(seconds) } }),
  })),
  kind('function name the API refuses', fc.oneof(
    fc.stringMatching(/^[a-z]{1,20}[ .:/@][a-z]{1,20}$/),
    fc.integer({ min: 65, max: 140 }).map((n) => 'f'.repeat(n)),
  ), (functionName) => ({ mentions: ["'functionName'"], apply: (_s, base) => ({ ...base, functionName }) })),
  kind('alias name the API refuses', fc.oneof(fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[a-z]{1,20} [a-z]{1,20}$/)), (aliasName) => ({
    mentions: ["'aliasName'", aliasName],
    apply: (_s, base) => ({ ...base, aliasName }),
  })),
  kind('owned prop', fc.constantFrom(...Object.keys(OWNED)), (prop) => ({
    mentions: [`'${prop}'`, 'is owned by SecureFunction'],
    apply: (s, base) => ({ ...base, [prop]: OWNED[prop](s) } as unknown as SecureFunctionProps),
  })),
);
