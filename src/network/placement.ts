import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { setFunctionConnections } from '../cfn/cdk-internals';
import { invalidInput } from '../cfn/errors';
import { publicSubnet } from '../rules/lambda/lambda-public-subnet';
import { cite } from '../rules/rule';

/** Checks the VPC and subnet choice: private or isolated subnets only. */
export function selectPrivateSubnets(label: string, vpc: ec2.IVpc, selection?: ec2.SubnetSelection): ec2.SubnetSelection {
  const where = `${label}:`;
  if (selection) {
    if (selection.subnetType === ec2.SubnetType.PUBLIC) {
      throw invalidInput(`${where} 'vpcSubnets.subnetType'`, `must be PRIVATE_ISOLATED or PRIVATE_WITH_EGRESS (${cite(publicSubnet)})`, "'PUBLIC'", 'place the function in private or isolated subnets');
    }
    const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
    const chosen = selection.subnets ?? [];
    const publicChosen = chosen.find((s) => publicIds.has(s.subnetId));
    if (publicChosen) {
      throw invalidInput(`${where} 'vpcSubnets.subnets'`, `must not contain public subnets (${cite(publicSubnet)})`, `'${publicChosen.node.path}'`, 'choose private or isolated subnets');
    }
    return selection;
  }
  if (vpc.isolatedSubnets.length > 0) {
    return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  }
  if (vpc.privateSubnets.length > 0) {
    return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  }
  throw invalidInput(
    `${where} 'vpc'`,
    `must have private or isolated subnets (${cite(publicSubnet)}: functions never run in public subnets)`,
    `a VPC with ${vpc.publicSubnets.length} public subnet(s) only`,
    'add PRIVATE_ISOLATED subnets to the VPC, or omit vpc to use the stack\'s isolated VPC',
  );
}

/**
 * Places a function in `subnets` of `vpc` with `securityGroups`, as
 * lambda.Function does with its vpc prop: the subnets' connectivity is ready
 * before the function.
 */
export function placeInVpc(
  fn: lambda.Function | lambda.CfnFunction, vpc: ec2.IVpc, subnets: ec2.SubnetSelection, securityGroups: ec2.ISecurityGroup[],
): void {
  const selected = vpc.selectSubnets(subnets);
  const cfn = fn instanceof lambda.Function ? fn.node.defaultChild as lambda.CfnFunction : fn;
  cfn.vpcConfig = { subnetIds: selected.subnetIds, securityGroupIds: securityGroups.map((group) => group.securityGroupId) };
  if (fn instanceof lambda.Function) {
    setFunctionConnections(fn, new ec2.Connections({ securityGroups }));
  }
  fn.node.addDependency(selected.internetConnectivityEstablished);
}
