import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { conformanceFindings, Finding } from './support/conformance';
import { SCENARIOS } from './support/scenarios';

// One engine per test file: its WASM memory is never given back.
const cfnValidate = new CloudFormationValidatePlugin();


function describeFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`);
}

describe.each([
  ['a bare App', false],
  ['an App with every currently recommended feature flag', true],
])('conformance in %s', (_name, recommendedFlags) => {
  test.each(Object.keys(SCENARIOS))('%s has zero findings under the five cdk-nag packs, Control Tower guard rules and CloudFormation validation', (scenario) => {
    const findings = conformanceFindings(cfnValidate, { recommendedFlags }, SCENARIOS[scenario]);
    expect(describeFindings(findings)).toEqual([]);
  });
});

describe('the conformance harness', () => {
  test('reports the findings of a plain lambda.Function, so a clean result means something', () => {
    const findings = conformanceFindings(cfnValidate, { recommendedFlags: false }, (stack) => {
      new lambda.Function(stack, 'Plain', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      });
    });
    const rules = findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5-LambdaDLQ',
      'Serverless-LambdaTracing',
      'lambda_inside_vpc_check',
    ]));
    // 13 from the five packs and Control Tower, 9 from the library's own catalog (6 block, 3 warn).
    expect(findings.filter((f) => f.suite !== 'SecureFunction')).toHaveLength(13);
    expect(findings.filter((f) => f.suite === 'SecureFunction').map((f) => f.rule).sort()).toEqual([
      'SecureFunction-lambda-alarms',
      'SecureFunction-lambda-code-package-cmk',
      'SecureFunction-lambda-code-signing',
      'SecureFunction-lambda-config-rules',
      'SecureFunction-lambda-dlq',
      'SecureFunction-lambda-inside-vpc',
      'SecureFunction-lambda-log-group',
      'SecureFunction-lambda-reserved-concurrency',
      'SecureFunction-lambda-tracing',
    ]);
  });
});
