import { propertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** Durable execution state is encrypted with a customer-managed key. */
export const durableCmk = propertyRule({
  id: 'lambda-durable-cmk',
  title: 'Durable execution state (checkpoints, inputs, results) is encrypted with a customer-managed KMS key',
  severity: RuleSeverity.BLOCK,
  why: 'A durable function keeps every step\'s input, output and error for the retention period; without DurableConfig.KMSKeyArn they rest under an AWS-owned key that no key policy restricts and no CloudTrail event shows.',
  fix: 'Use SecureFunction or LambdaHardening with durableConfig (state under the function\'s key, the checkpoint actions granted), or set DurableConfig.KMSKeyArn on the function.',
  controls: {
    nist80053: ['SC-12', 'SC-28'],
    pciDss: ['3.4'],
    hipaa: ['164.312(a)(2)(iv)'],
  },
}, {
  scope: 'functions',
  notes: ['No DurableConfig, or one with a KMSKeyArn that is not empty; a config from an intrinsic function is not judged.'],
  passWhen: [
    { kind: 'absent', path: 'DurableConfig' },
    { kind: 'intrinsic-object', path: 'DurableConfig' },
    { kind: 'non-empty', path: 'DurableConfig.KMSKeyArn' },
  ],
  problem: () => 'durable execution is on without DurableConfig.KMSKeyArn: its state is encrypted with an AWS-owned key',
});
