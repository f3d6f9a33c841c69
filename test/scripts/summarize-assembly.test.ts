import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { buildExampleApp } from '../../examples/app';
import { summarizeAssembly } from '../../scripts/summarize-assembly';

describe('npm run example: the summary of the synthesized example', () => {
  test('names the stack, its functions and the audit report with every function\'s verdicts and exceptions', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
    const { app } = buildExampleApp(new App({ outdir }));
    app.synth();
    const summary = summarizeAssembly(outdir);
    expect(summary).toMatch(/^Cloud assembly .*: 1 stack\n/);
    expect(summary).toMatch(/Audit report \(.*secure-function-audit\.md\): 3 Lambda functions, 2 judged against 38 rules, 0 failed controls, 5 acknowledged exceptions/);
    expect(summary).toMatch(/ {2}SecureFunctionExample\/Orders\/Function\/Resource: 23 pass, 0 fail, 1 acknowledged, 2 not applicable/);
    expect(summary).toMatch(/ {4}lambda-inside-vpc acknowledged: The deploy-time signer runs only while CloudFormation deploys/);
    expect(summary).toContain('Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler: CDK provider, not judged');
  });
});

describe('summarizeAssembly on other assemblies', () => {
  test('counts the stacks of stages (nested assemblies) with their display names', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-'));
    const app = new App({ outdir });
    new sns.Topic(new Stack(app, 'Top'), 'Topic');
    new sns.Topic(new Stack(new Stage(app, 'Prod'), 'Inner'), 'Topic');
    app.synth();
    const summary = summarizeAssembly(outdir);
    expect(summary).toMatch(/^Cloud assembly .*: 2 stacks\n/);
    expect(summary).toContain('Stack Top (Top.template.json): 1 resource\n  AWS::SNS::Topic  1');
    expect(summary).toMatch(/Stack Prod\/Inner \(Prod-Inner\) \(ProdInner[0-9A-F]+\.template\.json\): 1 resource\n/);
  });

  test('a folder that is not an assembly is refused with the file it looked for', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
    expect(() => summarizeAssembly(dir)).toThrow(/is not a cloud assembly: .*manifest\.json not found/);
  });
});
