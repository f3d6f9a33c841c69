import { Template } from 'aws-cdk-lib/assertions';
import { plainApp, secureApp } from '../../../scripts/bench/apps';
import { SecureFunction, SecureFunctionGuard } from '../../../src';

const lib = { SecureFunction, SecureFunctionGuard };
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
});
