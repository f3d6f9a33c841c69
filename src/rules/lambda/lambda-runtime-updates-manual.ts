import { propertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** The runtime receives Lambda's security patches: runtime management is not Manual. */
export const runtimeUpdatesManual = propertyRule({
  id: 'lambda-runtime-updates-manual',
  title: 'The function\'s runtime takes Lambda\'s security patches (runtime management not Manual)',
  severity: RuleSeverity.BLOCK,
  why: 'With UpdateRuntimeOn Manual the function stays on the runtime version it names until someone changes it: Lambda\'s patches for the runtime and its operating system never reach it.',
  fix: 'Leave runtime management unset (Auto), or use lambda.RuntimeManagementMode.FUNCTION_UPDATE (runtimeManagementMode); keep Manual only for a rollback, acknowledged with a reason and an end date: Validations.of(fn).acknowledge({ id: \'lambda-runtime-updates-manual\', reason }).',
  controls: {
    nist80053: ['SI-2', 'CM-6'],
    pciDss: ['6.2'],
    hipaa: ['164.308(a)(1)(ii)(B)'],
  },
}, {
  scope: 'functions',
  notes: [
    'No runtime management config, Auto or FunctionUpdate; a mode from a parameter',
    'or an intrinsic function is not judged.',
  ],
  passWhen: [
    { kind: 'absent', path: 'RuntimeManagementConfig.UpdateRuntimeOn' },
    { kind: 'equals', path: 'RuntimeManagementConfig.UpdateRuntimeOn', value: 'Auto' },
    { kind: 'equals', path: 'RuntimeManagementConfig.UpdateRuntimeOn', value: 'FunctionUpdate' },
    { kind: 'intrinsic-object', path: 'RuntimeManagementConfig' },
    { kind: 'intrinsic', path: 'RuntimeManagementConfig.UpdateRuntimeOn' },
  ],
  problem: (properties) => `runtime management is '${properties.RuntimeManagementConfig.UpdateRuntimeOn}'${properties.RuntimeManagementConfig.RuntimeVersionArn ? ` (pinned to ${JSON.stringify(properties.RuntimeManagementConfig.RuntimeVersionArn)})` : ''}: the runtime receives no security patches until it is changed`,
});
