import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureFunction } from '../../src';
import { HELPER_FUNCTION_PREFIX, nameHelperFunction } from '../../src/cfn/helper-functions';
import { minimalProps, newStack } from '../support/fixtures';

const nameOf = (purpose: string) => ({
  'Fn::Join': ['', [`${HELPER_FUNCTION_PREFIX}${purpose}-`, { 'Fn::Select': [4, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] }]],
});

describe('the helper functions the guardrails know by name', () => {
  test('a default SecureFunction stack names its signer and CDK\'s default security group closer, and only them', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps());
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const named = Object.values(functions).map((f) => f.Properties.FunctionName).filter((n) => n !== undefined);
    expect(named).toEqual(expect.arrayContaining([nameOf('signer'), nameOf('default-sg')]));
    expect(named).toHaveLength(2);
  });

  test('a name is refused for anything but a function, and for a purpose that would not fit', () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Q').node.defaultChild as CfnResource;
    expect(() => nameHelperFunction(queue, 'queue')).toThrow(/only a function is named as a helper, got AWS::SQS::Queue/);
    const fn = new CfnResource(stack, 'F', { type: 'AWS::Lambda::Function', properties: {} });
    expect(() => nameHelperFunction(fn, 'Upper')).toThrow(/helper purpose 'Upper' must be at most 20 lowercase letters/);
    expect(() => nameHelperFunction(fn, 'a'.repeat(21))).toThrow(/must be at most 20/);
    nameHelperFunction(fn, 'a'.repeat(20));
    // securefn-helper- (16) + 20 + '-' + 12 hex of the stack id: within Lambda's 64 characters.
    expect(HELPER_FUNCTION_PREFIX.length + 20 + 1 + 12).toBeLessThanOrEqual(64);
    expect((Stack.of(fn).resolve((fn as any)._toCloudFormation()) as any).Resources.F.Properties.FunctionName).toEqual(nameOf('a'.repeat(20)));
  });
});
