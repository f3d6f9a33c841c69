import { referencedIds } from '../cfn/references';
import { ResolvedResource, StackIndex } from '../cfn/stack-index';

/**
 * Whether a subnet of the stack is public: it maps public IPs on launch, or
 * its route table (SubnetRouteTableAssociation) routes to an internet gateway.
 */
export function isPublicSubnet(index: StackIndex, subnet: ResolvedResource): boolean {
  if (subnet.properties.MapPublicIpOnLaunch === true) {
    return true;
  }
  const tables = index.ofType('AWS::EC2::SubnetRouteTableAssociation')
    .filter((a) => referencedIds(a.properties.SubnetId).includes(subnet.logicalId))
    .flatMap((a) => referencedIds(a.properties.RouteTableId));
  return index.ofType('AWS::EC2::Route').some((route) =>
    referencedIds(route.properties.RouteTableId).some((id) => tables.includes(id))
    && referencedIds(route.properties.GatewayId).some((id) => index.get(id)?.type === 'AWS::EC2::InternetGateway'));
}

/** Why a public subnet is public, as a problem says it. */
export function whyPublic(subnet: ResolvedResource): string {
  return subnet.properties.MapPublicIpOnLaunch === true ? 'maps public IPs on launch' : 'routes to an internet gateway';
}
