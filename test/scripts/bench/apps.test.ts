import { Template } from 'aws-cdk-lib/assertions';
import { plainApp, secureApp } from '../../../scripts/bench/apps';
import { SecureFunction, LambdaRulesAspect } from '../../../src';

const lib = { SecureFunction, LambdaRulesAspect };
const templateOf = (app: ReturnType<typeof plainApp>) => Template.fromJSON(app.synth().getStackByName('Bench').template);

describe('the benchmark apps', () => {
  test('functions deploying one shared bundle sign it once; a package each is signed each', () => {
    templateOf(secureApp(lib, 3)).resourceCountIs('Custom::SignedLambdaCode', 1);
    templateOf(secureApp(lib, 3, { distinctCode: true })).resourceCountIs('Custom::SignedLambdaCode', 3);
  });

  test('a package of its own has the same asset hash every run and another than its neighbour\'s', () => {
    const keyOf = (i: number) => {
      const fn = Object.values(templateOf(plainApp(i + 1, { distinctCode: true })).findResources('AWS::Lambda::Function'))[i];
      return JSON.stringify(fn.Properties.Code.S3Key);
    };
    expect(keyOf(1)).toBe(keyOf(1));
    expect(keyOf(1)).not.toBe(keyOf(0));
  });

  test('stacks: N functions in each stack, Bench first, a package each distinct across stacks', () => {
    const assembly = plainApp(2, { stacks: 3, distinctCode: true }).synth();
    expect(assembly.stacks.map((stack) => stack.stackName)).toEqual(['Bench', 'Bench2', 'Bench3']);
    const keys = assembly.stacks.flatMap((stack) => {
      const functions = Template.fromJSON(stack.template).findResources('AWS::Lambda::Function');
      expect(Object.keys(functions)).toHaveLength(2);
      return Object.values(functions).map((fn) => JSON.stringify(fn.Properties.Code.S3Key));
    });
    expect(new Set(keys).size).toBe(6);
  });

  test('a secret is shared by the functions of each stack', () => {
    const assembly = secureApp(lib, 1, { stacks: 2, secrets: true }).synth();
    for (const stack of assembly.stacks) {
      const template = Template.fromJSON(stack.template);
      template.resourceCountIs('AWS::SecretsManager::Secret', 1);
      const fn0 = template.findResources('AWS::Lambda::Function', { Metadata: { 'aws:cdk:path': `${stack.stackName}/Fn0/Function/Resource` } });
      expect(Object.keys(fn0)).toHaveLength(1);
    }
  });
});
