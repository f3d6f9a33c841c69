import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { HelperFunctionNames, SecureFunction } from '../../src';
import { HELPER_FUNCTION_PREFIX } from '../../src/cfn/helper-functions';
import { accessModel } from '../support/access-model/access-model';
import { minimalProps } from '../support/fixtures';

/** A SecureFunction notified by an S3 bucket: CDK adds its BucketNotificationsHandler, outside any VPC and unsigned. */
function notifiedStack(named: boolean): { stack: Stack; aspect?: HelperFunctionNames } {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const fn = new SecureFunction(stack, 'Fn', minimalProps());
  const bucket = new s3.Bucket(stack, 'Uploads', { enforceSSL: true });
  bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn.alias));
  return { stack, aspect: named ? HelperFunctionNames.applyTo(stack) : undefined };
}

const functionNames = (stack: Stack) => Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
  .map(([id, f]) => [id.replace(/[0-9A-F]{8}$/, ''), JSON.stringify(f.Properties.FunctionName ?? null)]);

describe('HelperFunctionNames', () => {
  test('names CDK\'s provider functions, keeps the library\'s own names and leaves the app\'s functions alone', () => {
    const { stack, aspect } = notifiedStack(true);
    const names = Object.fromEntries(functionNames(stack));
    expect(names.BucketNotificationsHandler050a0587b7544547bf325f094a3db834).toMatch(new RegExp(`"${HELPER_FUNCTION_PREFIX}cdk-[0-9a-f]{8}-"`));
    expect(names.CustomVpcRestrictDefaultSGCustomResourceProviderHandler).toMatch(/"securefn-helper-default-sg-"/);
    expect(names.FnFunction).toBe('null');
    expect(aspect!.named).toEqual(['Test/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Resource']);
  });

  test('under the default guardrails, CDK\'s bucket notification handler is refused unnamed and created once named', async () => {
    const unnamed = await accessModel(notifiedStack(false).stack);
    expect(unnamed.guardrails).toEqual([expect.stringMatching(/^CloudFormation creates function .*BucketNotificationsHandler.*: ExplicitlyDenied/)]);
    const named = await accessModel(notifiedStack(true).stack);
    expect(named.guardrails).toEqual([]);
  });

  test('a provider function given a name of its own keeps it', () => {
    const stack = new Stack(new App(), 'Test');
    const provider = (id: string, functionName?: string) => new lambda.CfnFunction(stack, id, {
      role: 'arn:aws:iam::111111111111:role/r', code: { zipFile: 'x' }, runtime: 'nodejs22.x', handler: 'index.handler', functionName,
    });
    provider('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a', 'chosen-by-the-team');
    provider('AWS679f53fac002430cb0da5b7982bd2287');
    const aspect = HelperFunctionNames.applyTo(stack);
    const names = Object.fromEntries(functionNames(stack));
    expect(names.LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a).toBe('"chosen-by-the-team"');
    expect(names.AWS679f53fac002430cb0da5b7982bd2287).toMatch(/"securefn-helper-cdk-[0-9a-f]{8}-"/);
    expect(aspect.named).toEqual(['Test/AWS679f53fac002430cb0da5b7982bd2287']);
  });
});
