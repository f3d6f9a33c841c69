import { asArray, isIntrinsic } from '../../cfn/references';
import { ResolvedResource } from '../../cfn/stack-index';
import { ResourceRule } from '../resource-rule';
import { RuleResult, RuleSeverity } from '../rule';

/**
 * OS capabilities that hand the code the machine. The schema of aws-cdk-lib 2.276
 * knows one value, ALL; the administrative capabilities are listed for when
 * AdditionalOsCapabilities takes single ones (compared without case).
 */
export const FORBIDDEN_CAPABILITIES: readonly string[] = ['ALL', 'SYS_ADMIN', 'CAP_SYS_ADMIN', 'SYS_MODULE', 'CAP_SYS_MODULE', 'SYS_PTRACE', 'CAP_SYS_PTRACE', 'NET_ADMIN', 'CAP_NET_ADMIN'];

/** A MicroVM image adds no capability that hands its code the machine. */
export const microvmImageCapabilities: ResourceRule = {
  id: 'lambda-microvm-image-capabilities',
  title: 'MicroVM images add no OS capabilities beyond the default set (AdditionalOsCapabilities ALL, or an administrative one)',
  severity: RuleSeverity.BLOCK,
  why: 'AdditionalOsCapabilities ALL (or SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN) lets the code, and anyone who takes it over, mount file systems, load kernel modules, read other processes\' memory and rewrite the network: the isolation the MicroVM gives is gone.',
  fix: 'Leave AdditionalOsCapabilities empty (the default set serves most code); where the code needs them, acknowledge it with the reason: Validations.of(image).acknowledge({ id: \'lambda-microvm-image-capabilities\', reason }).',
  controls: {
    nist80053: ['AC-6', 'CM-7'],
    pciDss: ['2.2', '7.1'],
  },
  resourceTypes: ['AWS::Lambda::MicrovmImage'],
  judge(resource: ResolvedResource): RuleResult {
    const capabilities = resource.properties.AdditionalOsCapabilities;
    if (isIntrinsic(capabilities)) {
      return 'UNRESOLVED';
    }
    const forbidden = asArray(capabilities).filter((c): c is string => typeof c === 'string' && FORBIDDEN_CAPABILITIES.includes(c.toUpperCase()));
    return forbidden.length > 0
      ? [{ resource: resource.resource, problem: `AdditionalOsCapabilities adds ${forbidden.join(', ')}` }]
      : 'COMPLIANT';
  },
};
