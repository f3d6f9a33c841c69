import * as lambda from 'aws-cdk-lib/aws-lambda';
import { conformanceFindings, Finding } from '../support/conformance';
import { SCANNER_RUNS, SCANNER_SKIPS } from '../support/scanners';
import { SCENARIOS } from '../support/scenarios';


/** The closing figures of this file: runs, findings per suite, and the scanners' skips (each with its reason). */
const figures = { runs: 0, findings: {} as Record<string, number>, scanners: [] as string[] };
afterAll(() => {
  const skips = SCANNER_SKIPS.reduce<Record<string, number>>((count, s) => ({ ...count, [`${s.scanner} ${s.rule}`]: (count[`${s.scanner} ${s.rule}`] ?? 0) + 1 }), {});
  console.log(`conformance: ${figures.runs} scenario runs, findings ${JSON.stringify(figures.findings)}, scanner skips ${JSON.stringify(skips)}\n`
    + `per scenario:\n${figures.scanners.join('\n')}`);
});

/**
 * One line of the per-scenario figures: cfn-lint's and checkov's findings on
 * what the construct creates, checkov's passed and skipped checks, and what
 * checkov failed on the resources the scenario builds for itself (TestOwned).
 */
function scannerFigures(label: string, runs: typeof SCANNER_RUNS, findings: Finding[]): string {
  const sum = (scanner: string, key: 'failed' | 'skipped' | 'passed') => runs.filter((r) => r.scanner === scanner).reduce((n, r) => n + (r[key] ?? 0), 0);
  const onConstruct = (suite: string) => findings.filter((f) => f.suite === suite).length;
  const testOwned = sum('checkov', 'failed') - onConstruct('checkov');
  return `  ${label}: cfn-lint ${onConstruct('cfn-lint')}, checkov ${onConstruct('checkov')} on the construct `
    + `(checkov ${sum('checkov', 'passed')} passed, ${sum('checkov', 'skipped')} skipped${testOwned ? `; ${testOwned} failed on the test's own resources` : ''})`;
}

function describeFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`);
}

describe.each([
  ['a bare App', false],
  ['an App with every currently recommended feature flag', true],
])('conformance in %s', (_name, recommendedFlags) => {
  test.each(Object.keys(SCENARIOS))('%s has zero findings under the five cdk-nag packs, Control Tower guard rules and CloudFormation validation', (scenario) => {
    const scansBefore = SCANNER_RUNS.length;
    const findings = conformanceFindings({ recommendedFlags }, SCENARIOS[scenario]);
    figures.runs++;
    figures.scanners.push(scannerFigures(`${scenario}${recommendedFlags ? ' (recommended flags)' : ''}`, SCANNER_RUNS.slice(scansBefore), findings));
    for (const f of findings) {
      figures.findings[f.suite] = (figures.findings[f.suite] ?? 0) + 1;
    }
    expect(describeFindings(findings)).toEqual([]);
  });
});

describe('the conformance harness', () => {
  test('reports the findings of a plain lambda.Function, so a clean result means something', () => {
    const findings = conformanceFindings({ recommendedFlags: false }, (stack) => {
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
    expect(findings.filter((f) => !['SecureFunction', 'cfn-lint', 'checkov'].includes(f.suite))).toHaveLength(13);
    // checkov's Lambda checks: reserved concurrency, dead-letter queue, VPC.
    expect(findings.filter((f) => f.suite === 'checkov').map((f) => f.rule).sort())
      .toEqual(expect.arrayContaining(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117']));
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
