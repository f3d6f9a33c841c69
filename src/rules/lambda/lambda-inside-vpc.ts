import { isIntrinsic } from '../../cfn/references';
import { FUNCTION_CONFIGURATION_CALLS } from '../prevention';
import { LambdaRule, RuleSeverity } from '../rule';

/** The function runs in a VPC: VpcConfig names at least one subnet. */
export const insideVpc: LambdaRule = {
  id: 'lambda-inside-vpc',
  title: 'The function runs inside a VPC (VpcConfig with at least one subnet)',
  severity: RuleSeverity.BLOCK,
  why: 'Outside a VPC the function reaches the internet directly and its traffic escapes the network controls (security groups, NACLs, VPC endpoints, flow logs).',
  fix: 'Use SecureFunction (always in a VPC: vpc, or the stack\'s shared isolated VPC), set vpc and vpcSubnets on lambda.Function, or VpcConfig.SubnetIds and SecurityGroupIds on a CfnFunction.',
  controls: {
    nist80053: ['AC-4', 'SC-7'],
    pciDss: ['1.2', '1.3'],
    controlTower: ['CT.LAMBDA.PR.3'],
    securityHub: ['Lambda.3'],
  },
  detectedBy: ['LAMBDA_INSIDE_VPC'],
  prevention: [
    { sid: 'FunctionsInsideVpc', actions: FUNCTION_CONFIGURATION_CALLS, key: 'lambda:VpcIds', deny: 'absent' },
    { sid: 'FunctionsInApprovedVpcs', actions: FUNCTION_CONFIGURATION_CALLS, key: 'lambda:VpcIds', deny: 'not-approved', approved: 'vpcIds' },
  ],
  check(view) {
    const vpcConfig = view.props.VpcConfig;
    if (vpcConfig === undefined) {
      return [{ resource: view.fn.resource, problem: 'no VpcConfig: the function runs outside any VPC' }];
    }
    // VpcConfig, or its whole subnet list, from a parameter or an intrinsic (Fn::If, Fn::Split...).
    if (isIntrinsic(vpcConfig) || isIntrinsic(vpcConfig.SubnetIds)) {
      return 'UNRESOLVED';
    }
    const subnets: unknown[] = vpcConfig.SubnetIds ?? [];
    return subnets.length > 0
      ? 'COMPLIANT'
      : [{ resource: view.fn.resource, problem: 'VpcConfig has no SubnetIds: the function runs outside any VPC' }];
  },
};
