import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CFN_LINT_REASONS, skipScannerChecks } from '../../src/cfn/scanner-skips';

function queue(): { stack: Stack; resource: CfnResource } {
  const stack = new Stack(new App(), 'Skips');
  const q = new sqs.Queue(stack, 'Queue');
  return { stack, resource: q.node.defaultChild as CfnResource };
}

describe('skipScannerChecks', () => {
  test('writes each scanner\'s own mechanism: checkov\'s skip with the reason as comment, cfn-lint\'s ignore_checks with the reasons beside', () => {
    const { stack, resource } = queue();
    skipScannerChecks(resource, { checkov: [{ id: 'CKV_AWS_27', reason: 'because' }], cfnLint: [{ id: 'W3005', reason: 'also because' }] });
    skipScannerChecks(resource, { checkov: [{ id: 'CKV_AWS_27', reason: 'twice' }, { id: 'CKV_AWS_1', reason: 'another' }] });
    const metadata = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(resource)].Metadata;
    expect(metadata.checkov).toEqual({ skip: [{ id: 'CKV_AWS_27', comment: 'because' }, { id: 'CKV_AWS_1', comment: 'another' }] });
    expect(metadata['cfn-lint']).toEqual({ config: { ignore_checks: ['W3005'] } });
    expect(metadata[CFN_LINT_REASONS]).toEqual({ W3005: 'also because' });
  });

  test('refuses a skip without a reason, naming the resource and the check', () => {
    const { resource } = queue();
    expect(() => skipScannerChecks(resource, { checkov: [{ id: 'CKV_AWS_27', reason: ' ' }] })).toThrow(/Skips\/Queue\/Resource: skipping CKV_AWS_27 needs a reason/);
    expect(() => skipScannerChecks(resource, { cfnLint: [{ id: 'W3005', reason: '' }] })).toThrow(/skipping W3005 needs a reason/);
    expect(resource.getMetadata('checkov')).toBeUndefined();
  });
});
