import { asArray, referencedIds } from '../../cfn/references';
import { ResolvedResource, StackIndex } from '../../cfn/stack-index';
import { ResourceRule } from '../resource-rule';
import { RuleResult, RuleSeverity } from '../rule';
import { isPublicSubnet, whyPublic } from '../subnets';

/** A capacity provider launches its instances in private subnets only. */
export const capacityProviderSubnets: ResourceRule = {
  id: 'lambda-capacity-provider-subnets',
  title: 'Lambda Managed Instances capacity providers launch their instances in private or isolated subnets only',
  severity: RuleSeverity.BLOCK,
  why: 'The instances of a capacity provider run the code of every function placed on them; in a public subnet they sit next to an internet gateway, and with public IPs on launch they can be reached from the internet and reach it past every egress control.',
  fix: 'List only private or isolated subnets in subnets (lambda.CapacityProvider) or VpcConfig.SubnetIds, with security groups that allow only the egress the functions need.',
  controls: {
    nist80053: ['AC-4', 'SC-7'],
    pciDss: ['1.3'],
  },
  prevention: [
    { sid: 'CapacityProvidersInApprovedSubnets', actions: ['lambda:CreateCapacityProvider'], key: 'lambda:SubnetIds', deny: 'not-approved', approved: 'subnetIds', multiValued: true },
  ],
  resourceTypes: ['AWS::Lambda::CapacityProvider'],
  judge(resource: ResolvedResource, index: StackIndex): RuleResult {
    const ids = asArray(resource.properties.VpcConfig?.SubnetIds);
    if (ids.length === 0) {
      return 'UNRESOLVED';
    }
    const subnets = ids.map((id) => referencedIds(id).map((ref) => index.get(ref)).find((r) => r?.type === 'AWS::EC2::Subnet'));
    const publicOnes = subnets.filter((s): s is ResolvedResource => s !== undefined && isPublicSubnet(index, s));
    if (publicOnes.length > 0) {
      return publicOnes.map((s) => ({ resource: resource.resource, problem: `launches instances in public subnet ${s.logicalId} (it ${whyPublic(s)})` }));
    }
    // A subnet of another stack or from a parameter may be public: say nothing.
    return subnets.includes(undefined) ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
