// Where an existing function already runs, and what its hardening keeps of it.
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HardeningOptions } from './hardening-options';
import { allowsAllOutbound, closeAllOutbound, hasInlineRules } from '../cfn/cdk-internals';
import { invalidInput } from '../cfn/errors';
import { recordFix } from '../cfn/fix-notes';
import { selectPrivateSubnets } from '../network/placement';
import { unrestrictedEgress } from '../rules/lambda/lambda-unrestricted-egress';
import { cite } from '../rules/rule';

/** Where the function runs: given by the function itself (checked), or to be placed by the controls. */
export interface Placement {
  readonly vpc?: ec2.IVpc;
  readonly subnets?: ec2.SubnetSelection;
  readonly securityGroup?: ec2.ISecurityGroup;
  /** Closes what must be closed (after every check passed). */
  apply(): void;
}

/**
 * A function already in a VPC stays there, in its subnets and security
 * groups. Its VPC is the one `vpc` names, or the VPC of its stack its group
 * belongs to. The security group the function made for itself (lambda.Function's
 * `SecurityGroup`), when it allows all outbound traffic, is closed, and opened
 * again to what the stack already lets it reach (ingress rules of other groups
 * that name it); the grants open its endpoints as for any hardened function.
 * Any other group must be the app's own with egress closed: a shared or
 * imported group is refused, since what else it serves is not known.
 */
export function checkPlacement(fn: lambda.Function, label: string, props: HardeningOptions): Placement {
  if (!fn.isBoundToVpc) {
    return { apply: () => undefined };
  }
  const groups = fn.connections.securityGroups;
  const own = fn.node.tryFindChild('SecurityGroup');
  const toClose: ec2.SecurityGroup[] = [];
  for (const group of groups) {
    if (group instanceof ec2.SecurityGroup && !allowsAllOutbound(group)) {
      continue;
    }
    if (group === own && group instanceof ec2.SecurityGroup && hasInlineRules(group)) {
      toClose.push(group);
      continue;
    }
    throw invalidInput(`${label}: security group ${group.node.path}`,
      `allows all outbound traffic (${cite(unrestrictedEgress)}), or is imported and cannot be checked; LambdaHardening closes only the group the function made for itself, not one that may serve others`,
      group instanceof ec2.SecurityGroup ? 'allowAllOutbound: true' : 'an imported security group',
      'create the group with allowAllOutbound: false and open what it uses with fn.connections.allowTo(peer, port), or leave securityGroups unset so that the function makes its own');
  }
  const vpc = props.vpc ?? vpcOfGroup(fn, groups[0]);
  if (!vpc) {
    throw invalidInput(`${label}: 'vpc'`, 'must name the VPC the function already runs in, where the endpoints its grants use are created (it is not a VPC of the function\'s stack)', 'none',
      'pass new LambdaHardening({ vpc }) with the function\'s VPC, or leave the function\'s vpc unset so that LambdaHardening places it in the stack\'s isolated VPC');
  }
  return {
    vpc,
    subnets: selectPrivateSubnets(label, vpc, props.vpcSubnets),
    securityGroup: groups[0],
    apply: () => toClose.forEach((group) => closeOwnGroup(fn, group)),
  };
}

/** The ec2.Vpc of the function's stack that `group` is in, if any. */
function vpcOfGroup(fn: lambda.Function, group: ec2.ISecurityGroup | undefined): ec2.IVpc | undefined {
  const resource = group?.node.defaultChild;
  if (!(resource instanceof ec2.CfnSecurityGroup)) {
    return undefined;
  }
  const stack = Stack.of(fn);
  const wanted = JSON.stringify(stack.resolve(resource.vpcId));
  return stack.node.findAll().find((c): c is ec2.Vpc => c instanceof ec2.Vpc && JSON.stringify(stack.resolve(c.vpcId)) === wanted);
}

/**
 * Closes the function's own group, then lets it reach again what the stack
 * lets it in to: each ingress rule of another group whose source is this one
 * (CDK writes those as AWS::EC2::SecurityGroupIngress) gets its egress twin,
 * which CDK had ignored while the group allowed everything.
 */
function closeOwnGroup(fn: lambda.Function, group: ec2.SecurityGroup): void {
  closeAllOutbound(group);
  const stack = Stack.of(fn);
  const self = JSON.stringify(stack.resolve(group.securityGroupId));
  const reopened: string[] = [];
  for (const ingress of stack.node.findAll().filter((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress)) {
    if (JSON.stringify(stack.resolve(ingress.sourceSecurityGroupId)) !== self || ingress.groupId === undefined) {
      continue;
    }
    const target = ec2.SecurityGroup.fromSecurityGroupId(group, `Reached${reopened.length}`, ingress.groupId, { mutable: false });
    const port = new ec2.Port({
      protocol: ingress.ipProtocol as ec2.Protocol,
      fromPort: ingress.fromPort,
      toPort: ingress.toPort,
      stringRepresentation: `${ingress.ipProtocol} ${ingress.fromPort}-${ingress.toPort}`,
    });
    group.addEgressRule(target, port, `to what ${ingress.node.path} lets in`);
    reopened.push(`${ingress.ipProtocol} ${ingress.fromPort}-${ingress.toPort} to the group of ${ingress.node.path}`);
  }
  recordFix(group, {
    control: unrestrictedEgress.id,
    change: `closed all outbound traffic of the function's own security group${reopened.length ? `, and opened ${reopened.join('; ')}` : ''}; the endpoints its grants use are opened as they are granted`,
  });
}
