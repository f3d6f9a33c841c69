import { EXTERNAL } from '../function-view';
import { FUNCTION_CONFIGURATION_CALLS } from '../prevention';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';
import { whyPublic } from '../subnets';

/** None of the function's subnets is public. */
export const publicSubnet: LambdaRule = {
  id: 'lambda-public-subnet',
  title: 'The function runs in private or isolated subnets, never public ones',
  severity: RuleSeverity.BLOCK,
  why: 'Public subnets route straight to an internet gateway: a function there leaves the isolated tier the network controls assume, and (Lambda network interfaces get no public IP) gains no working internet access either.',
  fix: 'Set vpcSubnets to { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } or PRIVATE_WITH_EGRESS on SecureFunction or lambda.Function (and drop allowPublicSubnet), or list only private subnets in VpcConfig.SubnetIds of a CfnFunction.',
  controls: {
    nist80053: ['AC-4', 'SC-7'],
    pciDss: ['1.3'],
  },
  prevention: [
    { sid: 'FunctionsInApprovedSubnets', actions: FUNCTION_CONFIGURATION_CALLS, key: 'lambda:SubnetIds', deny: 'not-approved', approved: 'subnetIds', multiValued: true },
  ],
  check(view) {
    const subnets = view.subnets;
    if (subnets.length === 0) {
      return 'NOT_APPLICABLE';
    }
    const violations: RuleViolation[] = [];
    for (const subnet of subnets) {
      if (subnet !== EXTERNAL && view.isPublicSubnet(subnet)) {
        violations.push({ resource: view.fn.resource, problem: `runs in public subnet ${subnet.logicalId} (it ${whyPublic(subnet)})` });
      }
    }
    if (violations.length > 0) {
      return violations;
    }
    // An imported subnet (or a subnet list from a parameter) may be public: say nothing.
    return subnets.includes(EXTERNAL) ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
