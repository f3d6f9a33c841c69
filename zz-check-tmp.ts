import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '/work/main/examples/app';
import { summarizeAssembly } from '/work/main/scripts/summarize-assembly';
const { stack } = buildExampleApp(new App({ outdir: '/tmp/chk-out' }));
const t = Template.fromStack(stack);
console.log('functions', Object.keys(t.findResources('AWS::Lambda::Function')).length);
console.log(summarizeAssembly('/tmp/chk-out').split('\n').slice(0, 2).join('\n'));
try { summarizeAssembly('/nonexistent'); } catch (e) { console.log('err:', (e as Error).message); }
