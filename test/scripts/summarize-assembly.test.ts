import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/app';
import { summarizeAssembly } from '../../scripts/summarize-assembly';

describe('npm run example: the summary of the synthesized example', () => {
  test('names the stack, its functions and the audit report with every function\'s verdicts and exceptions', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
    const { app } = buildExampleApp(new App({ outdir }));
    app.synth();
    const summary = summarizeAssembly(outdir);
    expect(summary).toMatch(/^Cloud assembly .*: 1 stack\n/);
    expect(summary).toMatch(/Audit report \(.*secure-function-audit\.md\): 3 Lambda functions, 2 judged against 21 rules, 0 failed controls, 5 acknowledged exceptions/);
    expect(summary).toMatch(/ {2}SecureFunctionExample\/Orders\/Function\/Resource: 17 pass, 0 fail, 1 acknowledged, 3 not applicable/);
    expect(summary).toMatch(/ {4}lambda-inside-vpc acknowledged: The deploy-time signer runs only while CloudFormation deploys/);
    expect(summary).toContain('Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler: CDK provider, not judged');
  });
});
