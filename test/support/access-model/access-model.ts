// The access model of a synthesized template, in one call: IAM decisions for
// every intended and negative path, reference validity of every policy, the
// network paths of every function, the creation order of resources that act
// with a role, and whether the organisation's default Lambda guardrails let
// CloudFormation create the template's Lambda resources.
import { Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnTemplate, ResolvedTemplate } from './cfn-resolver';
import { bindingNegatives } from './credential-binding';
import { deploymentRequests } from './deployment-requests';
import { IamModel, PolicyDoc } from './iam-model';
import { asyncDestinations, pollerUse } from './integration-paths';
import { intendedPaths, negativePaths, Path } from './intended-paths';
import { networkModel } from './network-model';
import { referenceProblems } from './reference-check';
import { asArray } from '../../../src/cfn/references';
import { LambdaGuardrails } from '../../../src/guardrails';
import { controlPlaneRegions, endpointForAction, endpointServiceName } from '../../../src/network/endpoint-catalog';

/** What the model found: each list is empty for a template that works as intended. */
export interface AccessReport {
  /** How many intended paths were proven allowed, out of how many. */
  readonly intended: { readonly allowed: number; readonly total: number; readonly failures: string[] };
  /** How many negative paths were proven denied, out of how many. */
  readonly negative: { readonly denied: number; readonly total: number; readonly failures: string[] };
  /** Actions, ARNs and condition keys the service authorization reference does not know. */
  readonly unknownReferences: string[];
  /** Granted services a function cannot reach, services it reaches but was not granted, paths to the internet. */
  readonly network: string[];
  /** Resources that act with a role created before the role's policies. */
  readonly ordering: string[];
  /** Lambda resources the default guardrails (service control policies) refuse to let CloudFormation create. */
  readonly guardrails: string[];
  /** How many of CloudFormation's Lambda requests the guardrails allowed, out of how many. */
  readonly deployment: { readonly allowed: number; readonly total: number };
}

export const MODEL_ENV = { account: '111111111111', region: 'us-east-1', partition: 'aws', stackName: 'Test' };


/** Resources a test builds for itself live under this construct id: negatives are not asked of them. */
const TEST_OWNED_PREFIX = 'TestOwned';

/** Runs the whole model over the template of `stack`. */
export async function accessModel(
  stack: Stack | CfnTemplate,
  templateEnv?: { account: string; region: string; stackName: string },
): Promise<AccessReport> {
  const template = stack instanceof Stack ? Template.fromStack(stack).toJSON() : stack;
  const env = stack instanceof Stack && /^\d{12}$/.test(stack.account) && !Token.isUnresolved(stack.region)
    ? { ...MODEL_ENV, account: stack.account, region: stack.region, stackName: stack.stackName }
    : { ...MODEL_ENV, ...templateEnv };
  const deployed = ResolvedTemplate.of(template, env);
  const iam = IamModel.of(deployed);
  const decide = async (paths: Path[], expected: (decision: string) => boolean) => {
    const failures: string[] = [];
    for (const path of paths) {
      const decision = await iam.decide(path.request, path.outsideIdentity);
      if (!expected(decision)) failures.push(`${path.why}: ${decision} (${JSON.stringify(path.request)})`);
    }
    return failures;
  };
  const owned = (logicalId: string) => !logicalId.startsWith(TEST_OWNED_PREFIX);
  const intended = intendedPaths(deployed);
  // Each call a bound role's function makes, replayed outside the function and from another one.
  const negative = [...negativePaths(deployed, owned), ...bindingNegatives(intended, iam)];
  const intendedFailures = await decide(intended, (d) => d === 'Allowed');
  const negativeFailures = await decide(negative, (d) => d !== 'Allowed');
  const guardrails: string[] = [];
  const scps = guardrailsFor(deployed);
  const requests = deploymentRequests(deployed, owned);
  for (const path of requests) {
    const decision = await iam.decide(path.request, path.outsideIdentity, scps);
    if (decision !== 'Allowed') guardrails.push(`${path.why}: ${decision} (${JSON.stringify(path.request)})`);
  }
  return {
    intended: { allowed: intended.length - intendedFailures.length, total: intended.length, failures: intendedFailures },
    negative: { denied: negative.length - negativeFailures.length, total: negative.length, failures: negativeFailures },
    unknownReferences: await referenceProblems(iam.documents),
    network: networkProblems(template, deployed, iam),
    ordering: orderingGaps(template),
    guardrails,
    deployment: { allowed: requests.length - guardrails.length, total: requests.length },
  };
}

const guardrailDocuments = new Map<boolean, PolicyDoc[]>();

/** What an organisation that deploys containers relaxes: IAM cannot tell an image from a .zip package, and Lambda signs packages only. */
export const IMAGE_RELAXATION = { statement: 'LambdaCodeSigningFunctionsWithCodeSigning', reason: 'the organisation deploys container images, which Lambda does not sign' };

/**
 * The service control policies of `LambdaGuardrails` an organisation running
 * the template has: the defaults, with the code-signing requirement relaxed
 * where the template deploys container images.
 */
function guardrailsFor(deployed: ResolvedTemplate): PolicyDoc[] {
  const images = deployed.ofType('AWS::Lambda::Function').some((fn) => fn.properties.PackageType === 'Image');
  let documents = guardrailDocuments.get(images);
  if (!documents) {
    documents = LambdaGuardrails.renderPolicies(images ? { relaxations: [IMAGE_RELAXATION] } : {})
      .map((document) => JSON.parse(document) as PolicyDoc);
    guardrailDocuments.set(images, documents);
  }
  return documents;
}

/**
 * The actions of the permissions a function's own code uses, not those Lambda
 * uses on its behalf: its log group, dead-letter queue, keys and asynchronous
 * destinations, and what the poller of its event source mappings reads and
 * sends failures to.
 */
/** The statements the library writes for Lambda's own use of a function's log group, queue and key. */
const LAMBDA_OWN_SIDS = new Set(['WriteOwnLogGroup', 'SendToOwnDeadLetterQueue', 'UseFunctionKey']);

function codeActions(deployed: ResolvedTemplate, iam: IamModel, fnId: string): Set<string> {
  const fn = deployed.resources[fnId].properties;
  const own = new Set([fn.LoggingConfig?.LogGroup, fn.DeadLetterConfig?.TargetArn, fn.KmsKeyArn, fn.Code?.SourceKMSKeyArn].filter(Boolean));
  const destinations = new Set(asyncDestinations(deployed, fnId).filter(Boolean));
  const ownLogGroup = fn.LoggingConfig?.LogGroup && `arn:${deployed.env.partition}:logs:${deployed.env.region}:${deployed.env.account}:log-group:${fn.LoggingConfig.LogGroup}:*`;
  const poller = pollerUse(deployed, fnId);
  const actions = new Set<string>();
  for (const policy of iam.identityPolicies(fn.Role)) {
    for (const st of asArray<any>(policy.policy.Statement)) {
      if (st.Effect !== 'Allow') continue;
      const resources = asArray<string>(st.Resource);
      // What the library grants for Lambda's own use of the function's parts (by Sid: the same key
      // granted by another construct, a table encrypted with it, is the code's), and async destinations.
      const lambdaOwn = (LAMBDA_OWN_SIDS.has(st.Sid) && resources.every((r) => own.has(r) || r === ownLogGroup))
        || (resources.length > 0 && resources.every((r) => destinations.has(r)));
      const viaService = Object.values<Record<string, unknown>>(st.Condition ?? {}).some((block) => 'kms:ViaService' in block);
      for (const action of asArray<string>(st.Action)) {
        const prefix = action.split(':')[0].toLowerCase();
        const pollers = resources.length > 0 && resources.every((r) => poller.get(r)?.has(action.toLowerCase()));
        // Lambda itself traces, manages network interfaces, writes logs, dead letters, decrypts and polls event sources.
        if (lambdaOwn || viaService || pollers || prefix === 'xray' || (prefix === 'ec2' && resources.includes('*'))) continue;
        actions.add(action);
      }
    }
  }
  return actions;
}

/**
 * The endpoint each action is called through (dynamodb:GetRecords through dynamodb-streams), to
 * the IAM prefix that asks for it; actions that need none, or no endpoint is known for, are left out.
 */
function endpointsOf(actions: Set<string>, region: string): Map<string, string> {
  const endpoints = new Map<string, string>();
  for (const action of actions) {
    const prefix = action.split(':')[0].toLowerCase();
    const need = endpointForAction(action);
    if (noPrivatePath(action, region)) continue;
    const endpoint = need.kind === 'interface' ? need.service.shortName : need.kind === 'gateway' ? prefix
      : need.kind === 'unknown' ? endpointServiceName(prefix) : undefined;
    // No endpoint is known: SecureFunction warns at synthesis.
    if (endpoint && !endpoints.has(endpoint)) endpoints.set(endpoint, prefix);
  }
  return endpoints;
}

/**
 * Why a call has no private path from a VPC in `region` (an API no endpoint serves, or a
 * global service whose endpoint is in another region), or undefined when it has one.
 */
function noPrivatePath(action: string, region: string): string | undefined {
  const need = endpointForAction(action);
  if (need.kind === 'no-private-path') return need.reason;
  const regions = controlPlaneRegions(action.split(':')[0].toLowerCase());
  return regions && !Object.values(regions).includes(region) ? `its endpoint exists only in ${Object.values(regions).join(', ')}` : undefined;
}

function networkProblems(template: CfnTemplate, deployed: ResolvedTemplate, iam: IamModel): string[] {
  const problems: string[] = [];
  for (const [fnId, net] of networkModel(template)) {
    if (!net.inVpc) continue;
    problems.push(...net.internetPaths.map((p) => `${fnId}: path beyond the VPC: ${p}`));
    const reachable = new Set(net.reachable.map((r) => r.service));
    const granted = new Set<string>();
    const actions = codeActions(deployed, iam, fnId);
    // A call no endpoint serves needs the egress path the user chose (servicesWithoutEndpoint and allowEgressTo).
    const chosenPath = net.egress.some((rule) => rule.cidr !== undefined && rule.cidr !== '255.255.255.255/32');
    for (const action of actions) {
      const why = noPrivatePath(action, deployed.env.region);
      if (why && !chosenPath) problems.push(`${fnId}: granted ${action}, which has no private path (${why}), and no egress path was chosen for it`);
    }
    for (const [endpoint, prefix] of endpointsOf(actions, deployed.env.region)) {
      granted.add(endpoint);
      if (!reachable.has(endpoint)) problems.push(`${fnId}: granted ${prefix}, but has no network path to a ${endpoint} endpoint`);
    }
    for (const service of reachable) {
      if (!granted.has(service)) problems.push(`${fnId}: reaches ${service}, which it was not granted`);
    }
  }
  return problems;
}

/**
 * Resources that name a role (its ARN or name) but may be created before a
 * policy attached to that role: CloudFormation orders by references and
 * DependsOn, and a resource acting with a role too early fails or loses data.
 */
export function orderingGaps(template: CfnTemplate): string[] {
  const resources = template.Resources ?? {};
  const refs = (value: unknown, out = new Set<string>()): Set<string> => {
    if (Array.isArray(value)) {value.forEach((v) => refs(v, out));} else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'Ref' && typeof v === 'string') out.add(v);
        else if (k === 'Fn::GetAtt') out.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);
        else refs(v, out);
      }
    }
    return out;
  };
  const direct = new Map(Object.entries(resources)
    .map(([id, r]) => [id, new Set([...refs(r.Properties), ...asArray(r.DependsOn as string | string[])])]));
  const closure = (id: string, seen = new Set<string>()): Set<string> => {
    for (const dep of direct.get(id) ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        closure(dep, seen);
      }
    }
    return seen;
  };
  const policiesOf = new Map<string, string[]>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
    for (const role of refs((r.Properties as any)?.Roles)) policiesOf.set(role, [...(policiesOf.get(role) ?? []), id]);
  }
  // Where a resource is given the role it acts with (Role, RoleArn, ServiceRoleArn, DeliverLogsPermissionArn...).
  const actingRoles = (properties: unknown): Set<string> => {
    const out = new Set<string>();
    for (const [key, value] of Object.entries((properties ?? {}) as Record<string, unknown>)) {
      if (/role|permissionarn/i.test(key)) refs(value, out);
      else if (value && typeof value === 'object') actingRoles(value).forEach((v) => out.add(v));
    }
    return out;
  };
  // A function used only as a ServiceToken is invoked by CloudFormation for its custom resources: they must wait.
  const serviceTokenUsers = (fnId: string): string[] | undefined => {
    const users = Object.entries(resources).filter(([id, r]) => id !== fnId && r.Type !== 'AWS::Logs::LogGroup' && refs(r.Properties).has(fnId));
    const onlyToken = users.every(([, r]) => refs((r.Properties as any)?.ServiceToken).has(fnId)
      && !refs(Object.fromEntries(Object.entries(r.Properties ?? {}).filter(([k]) => k !== 'ServiceToken'))).has(fnId));
    return users.length > 0 && onlyToken ? users.map(([id]) => id) : undefined;
  };
  const gaps: string[] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type.startsWith('AWS::IAM::')) continue;
    const users = r.Type === 'AWS::Lambda::Function' ? serviceTokenUsers(id) : undefined;
    for (const role of actingRoles(r.Properties)) {
      for (const policy of policiesOf.get(role) ?? []) {
        if (!users) {
          // A grant on the resource's own ARN (a durable function's checkpoints) cannot be waited for
          // without a cycle; nothing in the stack invokes the function before the stack completes.
          if (refs((resources[policy].Properties as any)?.PolicyDocument).has(id)) continue;
          if (!closure(id).has(policy)) gaps.push(`${id} (${r.Type}) acts with ${role} but does not wait for its policy ${policy}`);
          continue;
        }
        for (const user of users.filter((u) => !closure(u).has(policy))) {
          gaps.push(`${user} (${resources[user].Type}) invokes ${id}, which acts with ${role}, but does not wait for its policy ${policy}`);
        }
      }
    }
  }
  return gaps;
}

/** What a report says is wrong, in one value: every list empty for a template that works as intended. */
export function modelProblems(report: AccessReport) {
  return {
    intendedFailures: report.intended.failures,
    negativeFailures: report.negative.failures,
    unknownReferences: report.unknownReferences,
    network: report.network,
    ordering: report.ordering,
    guardrails: report.guardrails,
  };
}

/** modelProblems of a template that works as intended. */
export const NO_MODEL_PROBLEMS = { intendedFailures: [], negativeFailures: [], unknownReferences: [], network: [], ordering: [], guardrails: [] };
