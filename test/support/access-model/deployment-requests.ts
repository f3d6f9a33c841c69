// The Lambda control-plane requests CloudFormation makes, with the CDK
// bootstrap's execution role, to create the Lambda resources of a template:
// what the organisation's guardrails (service control policies) judge on
// every deployment. Each request carries the condition keys the Service
// Authorization Reference lists for its action, read from the resource's
// properties as Lambda reads them from the API call.
import { ResolvedResource, ResolvedTemplate } from './cfn-resolver';
import { ADMIN, deployer, Path } from './path-list';
import { asArray } from '../../../src/cfn/references';

/** The VPC of subnets that are not in the template (imported, from a parameter): any VPC, as far as the model knows. */
export const EXTERNAL_VPC = 'vpc-0e0e0e0e0e0e0e0e0';

type Context = Record<string, string | string[]>;

/**
 * The requests that create the template's Lambda resources, in template order,
 * each as the CDK execution role (an administrator) makes it; resources
 * `owned` says are not the construct under test's are left out.
 */
export function deploymentRequests(d: ResolvedTemplate, owned: (logicalId: string) => boolean = () => true): Path[] {
  const role = deployer(d.env);
  const paths: Path[] = [];
  const add = (resource: ResolvedResource, why: string, action: string, arn: string, context: Context) => {
    paths.push({ why: `CloudFormation ${why} (${resource.logicalId})`, request: { principal: role, action, resource: arn, context }, outsideIdentity: [ADMIN] });
  };
  const ofType = (type: string) => d.ofType(type).filter((r) => owned(r.logicalId));

  for (const fn of ofType('AWS::Lambda::Function')) {
    const p = fn.properties;
    const name = d.getAtt(fn.logicalId, 'Arn');
    add(fn, `creates function ${name.split(':').pop()}`, 'lambda:CreateFunction', name, functionContext(d, p));
  }
  for (const permission of ofType('AWS::Lambda::Permission')) {
    const p = permission.properties;
    const context: Context = { 'lambda:Principal': String(p.Principal) };
    if (p.FunctionUrlAuthType !== undefined) context['lambda:FunctionUrlAuthType'] = p.FunctionUrlAuthType;
    add(permission, `adds permission for ${p.Principal}`, 'lambda:AddPermission', functionArn(d, p.FunctionName), context);
  }
  for (const url of ofType('AWS::Lambda::Url')) {
    const p = url.properties;
    add(url, `creates a function URL with auth ${p.AuthType}`, 'lambda:CreateFunctionUrlConfig', functionArn(d, p.TargetFunctionArn), { 'lambda:FunctionUrlAuthType': p.AuthType });
  }
  for (const provider of ofType('AWS::Lambda::CapacityProvider')) {
    const vpc = provider.properties.VpcConfig ?? {};
    add(provider, 'creates a capacity provider', 'lambda:CreateCapacityProvider', d.getAtt(provider.logicalId, 'Arn'), {
      ...nonEmpty('lambda:SubnetIds', vpc.SubnetIds),
      ...nonEmpty('lambda:SecurityGroupIds', vpc.SecurityGroupIds),
    });
  }
  for (const policy of ofType('AWS::Lambda::ResourcePolicy')) {
    const arn: string = policy.properties.ResourceArn;
    // lambda:PutResourcePolicy authorizes on a function: a policy of another kind of resource is not judged here.
    if (typeof arn !== 'string' || !/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(arn)) continue;
    for (const principal of policyPrincipals(policy.properties.PolicyDocument)) {
      add(policy, `puts a resource policy naming ${principal}`, 'lambda:PutResourcePolicy', functionArn(d, arn), { 'lambda:Principal': principal });
    }
  }
  return paths;
}

/** The condition keys of lambda:CreateFunction, from a function's properties. */
function functionContext(d: ResolvedTemplate, p: any): Context {
  const context: Context = {};
  const subnets = asArray<string>(p.VpcConfig?.SubnetIds);
  if (subnets.length > 0) context['lambda:VpcIds'] = vpcOf(d, subnets[0]);
  Object.assign(context, nonEmpty('lambda:SubnetIds', subnets), nonEmpty('lambda:SecurityGroupIds', p.VpcConfig?.SecurityGroupIds));
  if (p.CodeSigningConfigArn !== undefined) context['lambda:CodeSigningConfigArn'] = p.CodeSigningConfigArn;
  if (p.Layers !== undefined) context['lambda:Layer'] = asArray<string>(p.Layers);
  return context;
}

/** The VPC of a subnet of the template, by its id; EXTERNAL_VPC for one outside it. */
function vpcOf(d: ResolvedTemplate, subnetId: string): string {
  const subnet = d.ofType('AWS::EC2::Subnet').find((s) => d.ref(s.logicalId) === subnetId);
  return typeof subnet?.properties.VpcId === 'string' ? subnet.properties.VpcId : EXTERNAL_VPC;
}

function nonEmpty(key: string, values: unknown): Context {
  const list = asArray<string>(values as string[] | undefined);
  return list.length > 0 ? { [key]: list } : {};
}

/**
 * The unqualified function ARN of a FunctionName (a name, `name:qualifier`, a
 * function, version or alias ARN, or a partial ARN): what the control-plane
 * call authorizes on.
 */
export function functionArn(d: ResolvedTemplate, nameOrArn: string): string {
  const parts = String(nameOrArn).split(':');
  const at = parts.indexOf('function');
  if (nameOrArn.startsWith('arn:') && at >= 0) return parts.slice(0, at + 2).join(':');
  const name = at >= 0 ? parts[at + 1] : parts[0];
  const account = at === 1 ? parts[0] : d.env.account;
  return `arn:${d.env.partition}:lambda:${d.env.region}:${account}:function:${name}`;
}

/**
 * The principals the Allow statements of a policy name, as lambda:Principal
 * carries them: '*', an account id or ARN, a service principal.
 */
export function policyPrincipals(document: any): string[] {
  const found: string[] = [];
  for (const st of asArray<any>(document?.Statement)) {
    if (st?.Effect !== 'Allow' || st.Principal === undefined) continue;
    if (typeof st.Principal === 'string') {
      found.push(st.Principal);
      continue;
    }
    found.push(...asArray<string>(st.Principal.AWS), ...asArray<string>(st.Principal.Service));
  }
  return [...new Set(found.filter((p) => typeof p === 'string'))];
}
