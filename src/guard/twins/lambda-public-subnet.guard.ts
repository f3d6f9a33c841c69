import { GuardContext } from '../guard-dsl';

/**
 * How a template names an in-stack resource, as Guard reads it: the condition
 * that a value is such a reference, and the query of the logical id in it.
 * (referencedIds also follows `Fn::Sub`; subnets, route tables and gateways
 * are named by `Ref` or `Fn::GetAtt`.)
 */
const REFERENCES = [
  { is: 'Ref is_string', id: 'Ref' },
  { is: "'Fn::GetAtt' exists", id: "'Fn::GetAtt'[0]" },
];

/** `<prop>` refers to the logical id in `%<variable>` (`==`) or to one of those in it (`in`), in every reference form. */
function refersTo(prop: string, op: '==' | 'in', variable: string): string {
  return REFERENCES.map((r) => `${prop}.${r.id} ${op} %${variable}`).join(' or ');
}

/**
 * lambda-public-subnet in Guard: every subnet a judged function names must not
 * be an in-stack subnet that maps public IPs on launch, or whose route table
 * (SubnetRouteTableAssociation) has a route to an AWS::EC2::InternetGateway:
 * FunctionView.isPublicSubnet. The failure points at the function, as the Aspect
 * reports it. An imported subnet, or a subnet list from a parameter, passes
 * (UNRESOLVED).
 *
 * Guard 3 has no per-element logical id (a key capture binds every key of the
 * filter at once): each subnet reference of the function is followed instead,
 * `Resources[ keys == %id ]`, and a violation is a `when` on what it finds
 * holding a clause that fails on the function's reference.
 */
export function publicSubnetGuard(ctx: GuardContext): string {
  return publicSubnetsGuard(ctx, { judged: ctx.functions, subnets: 'Properties.VpcConfig.SubnetIds', gate: `%${ctx.functions} !empty` });
}

/**
 * The same judgement of the subnets at `subnets` of the resources in `%judged`
 * (lambda-public-subnet: the functions; lambda-capacity-provider-subnets: the
 * capacity providers), failing on the resource that names the subnet.
 */
export function publicSubnetsGuard({ name, message }: GuardContext, on: { judged: string; subnets: string; gate: string; lets?: string }): string {
  const functions = on.judged;
  const fail = `{
            this !exists
            ${message}
        }`;
  const perSubnetForm = REFERENCES.map((subnetRef) => `
    %${functions}[ ${on.subnets} is_list ].${on.subnets}[ ${subnetRef.is} ] {
        let subnet_id = this.${subnetRef.id}
        let resource = %${name}_doc.Resources[ keys == %subnet_id ]
        let subnet = %resource[ Type == 'AWS::EC2::Subnet' ]
        # It maps public IPs on launch...
        let mapping = %subnet[ Properties.MapPublicIpOnLaunch == true ]
        when %mapping !empty ${fail}
        # ... or its route table routes to an internet gateway.
        let associations = %${name}_associations[ ${refersTo('Properties.SubnetId', '==', 'subnet_id')} ]
${REFERENCES.map((tableRef, t) => `        let tables_${t} = %associations[ Properties.RouteTableId.${tableRef.is} ].Properties.RouteTableId.${tableRef.id}`).join('\n')}
        let routes = %${name}_routes[ ${REFERENCES.map((_, t) => refersTo('Properties.RouteTableId', 'in', `tables_${t}`)).join(' or ')} ]
${REFERENCES.map((gatewayRef, g) => `        let gateways_${g} = %routes[ Properties.GatewayId.${gatewayRef.is} ].Properties.GatewayId.${gatewayRef.id}
        let gateway_resources_${g} = %${name}_doc.Resources[ keys in %gateways_${g} ]
        let internet_gateways_${g} = %gateway_resources_${g}[ Type == 'AWS::EC2::InternetGateway' ]
        when %subnet !empty %internet_gateways_${g} !empty ${fail}`).join('\n')}
    }`).join('\n');
  return `${on.lets ?? ''}
let ${name}_doc = this
let ${name}_associations = Resources.*[ Type == 'AWS::EC2::SubnetRouteTableAssociation' ]
let ${name}_routes = Resources.*[ Type == 'AWS::EC2::Route' ]

rule ${name} when ${on.gate} {${perSubnetForm}
}`;
}
