// The grants of the template: every role whose identity policy names a
// representative action on a resource of the template (what a grant method
// writes) gets the path of that action, and the use of the resource's
// template key through the resource's service. A grant Lambda itself uses
// with a function's role (its dead-letter queue, asynchronous destinations,
// what its poller reads) is a call from outside the function's environment.
import { ResolvedResource, ResolvedTemplate } from './cfn-resolver';
import { asyncDestinations, pollerUse } from './integration-paths';
import { PathList } from './path-list';
import { ResourceIndex } from './resource-index';
import { asArray } from '../../../src/cfn/references';

const globToRegex = (glob: string): RegExp => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

/** What a grant on a resource type writes: the policy's resource, the request's resource, representative actions and their key use. */
interface GrantKind {
  /** The ARN a grant names, from the resource. */
  readonly arn: (d: ResolvedTemplate, r: ResolvedResource) => string;
  /** The ARN the policy names (an object pattern for a bucket); `arn` when not given. */
  readonly policyResource?: (arn: string) => string;
  /** The resource a request names (an object of a bucket); `arn` when not given. */
  readonly requestResource?: (arn: string) => string;
  /** Representative actions, each with the key actions it needs when the resource is encrypted with a template key. */
  readonly actions: Record<string, string[]>;
  /** The service whose kms:ViaService the key use carries. */
  readonly service?: string;
}

const arnAttr = (attr: string) => (d: ResolvedTemplate, r: ResolvedResource) => d.getAtt(r.logicalId, attr);
const refOf = (d: ResolvedTemplate, r: ResolvedResource) => d.ref(r.logicalId);

const GRANTS: Record<string, GrantKind> = {
  'AWS::SecretsManager::Secret': { arn: refOf, actions: { 'secretsmanager:GetSecretValue': ['kms:Decrypt'] }, service: 'secretsmanager' },
  'AWS::DynamoDB::Table': { arn: arnAttr('Arn'), actions: { 'dynamodb:GetItem': ['kms:Decrypt'], 'dynamodb:PutItem': ['kms:Decrypt'] }, service: 'dynamodb' },
  'AWS::S3::Bucket': {
    arn: arnAttr('Arn'),
    policyResource: (arn) => `${arn}/*`,
    requestResource: (arn) => `${arn}/uploads/object.json`,
    actions: { 's3:GetObject': ['kms:Decrypt'], 's3:PutObject': ['kms:GenerateDataKey'] },
    service: 's3',
  },
  'AWS::SQS::Queue': { arn: arnAttr('Arn'), actions: { 'sqs:SendMessage': ['kms:GenerateDataKey', 'kms:Decrypt'] }, service: 'sqs' },
  'AWS::SNS::Topic': { arn: refOf, actions: { 'sns:Publish': ['kms:GenerateDataKey', 'kms:Decrypt'] }, service: 'sns' },
  'AWS::Events::EventBus': { arn: arnAttr('Arn'), actions: { 'events:PutEvents': ['kms:GenerateDataKey'] }, service: 'events' },
  'AWS::StepFunctions::StateMachine': { arn: refOf, actions: { 'states:StartExecution': ['kms:GenerateDataKey'] }, service: 'states' },
  'AWS::Lambda::Function': { arn: arnAttr('Arn'), actions: { 'lambda:InvokeFunction': [] } },
  'AWS::Lambda::Alias': { arn: refOf, actions: { 'lambda:InvokeFunction': [] } },
};

/** Every grant of a role on a resource of the template, with the key use it needs. */
export function grantPaths(d: ResolvedTemplate, index: ResourceIndex): PathList {
  const out = new PathList();
  const lambdaUses = lambdaUse(d);
  for (const [type, kind] of Object.entries(GRANTS)) {
    for (const resource of d.ofType(type)) {
      const arn = kind.arn(d, resource);
      const key = index.keyOf(resource);
      for (const [action, keyActions] of Object.entries(kind.actions)) {
        for (const role of rolesGranted(d, action, kind.policyResource?.(arn) ?? arn)) {
          const collect = () => {
            out.add(`${role} may ${action} on ${resource.logicalId}`, role, action, kind.requestResource?.(arn) ?? arn);
            out.keyUse(`${role} uses the key of ${resource.logicalId} for ${action}`, role, key, keyActions,
              { 'kms:ViaService': `${kind.service}.${d.env.region}.amazonaws.com` });
          };
          if (lambdaUses(role, action, arn)) out.outsideEnvironment(collect);
          else collect();
        }
      }
    }
  }
  for (const parameter of d.ofType('AWS::SSM::Parameter')) {
    const arn = `arn:${d.env.partition}:ssm:${d.env.region}:${d.env.account}:parameter/${d.ref(parameter.logicalId).replace(/^\//, '')}`;
    for (const role of rolesGranted(d, 'ssm:GetParameter', arn)) {
      out.add(`${role} reads parameter ${parameter.logicalId}`, role, 'ssm:GetParameter', arn);
    }
  }
  return out;
}

/**
 * Whether Lambda itself calls `action` on `arn` with `role`, for a function of
 * that role: sending to its dead-letter queue or asynchronous destinations, or
 * its poller reading an event source and sending failed batches on.
 */
function lambdaUse(d: ResolvedTemplate): (role: string, action: string, arn: string) => boolean {
  const uses = new Map<string, Array<(action: string, arn: string) => boolean>>();
  for (const fn of d.ofType('AWS::Lambda::Function')) {
    const role = fn.properties.Role;
    if (typeof role !== 'string') continue;
    const dlq = fn.properties.DeadLetterConfig?.TargetArn;
    const destinations = new Set(asyncDestinations(d, fn.logicalId));
    const poller = pollerUse(d, fn.logicalId);
    const use = (action: string, arn: string) => arn === dlq || destinations.has(arn) || poller.get(arn)?.has(action.toLowerCase()) === true;
    uses.set(role, [...uses.get(role) ?? [], use]);
  }
  return (role, action, arn) => (uses.get(role) ?? []).some((use) => use(action, arn));
}

/**
 * Roles of the template whose policies (inline, attached, or naming the role)
 * allow `action` (or an action pattern covering it) on exactly `arn` (what a grant writes).
 */
export function rolesGranted(d: ResolvedTemplate, action: string, arn: string): string[] {
  const roles: string[] = [];
  const policies = [...d.ofType('AWS::IAM::ManagedPolicy'), ...d.ofType('AWS::IAM::Policy')];
  for (const role of d.ofType('AWS::IAM::Role')) {
    const roleName = d.ref(role.logicalId);
    const attached = new Set(asArray<string>(role.properties.ManagedPolicyArns));
    const documents = [
      ...asArray<any>(role.properties.Policies).map((p) => p.PolicyDocument),
      ...policies.filter((p) => asArray<string>(p.properties.Roles).includes(roleName) || (p.type === 'AWS::IAM::ManagedPolicy' && attached.has(d.ref(p.logicalId))))
        .map((p) => p.properties.PolicyDocument),
    ];
    const names = documents.some((doc) => asArray<any>(doc?.Statement).some((st) => st.Effect === 'Allow'
      && asArray<string>(st.Action).some((a) => globToRegex(a).test(action))
      && asArray<string>(st.Resource).some((r) => r === arn || r === `${arn}-??????`)));
    if (names) {
      roles.push(d.getAtt(role.logicalId, 'Arn'));
    }
  }
  return roles;
}
