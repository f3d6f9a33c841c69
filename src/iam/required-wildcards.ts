import { Aspects, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { hasResourceLevelPermission } from './iam-reference';
import { wildcardResolvedAckId } from './wildcard-ack-ids';
import { StackIndex } from '../cfn/stack-index';

/**
 * A grant on the children of one resource (a bucket's objects, a table's
 * indexes, a log group's streams) has to name them with a wildcard: AWS
 * authorizes those actions on each child's ARN, and the children come and go
 * at run time. CDK's grant methods write them as `<resource ARN>/*` or `:*`.
 * Each such wildcard on a resource of the stack is acknowledged on the policy
 * (AwsSolutions-IAM5), naming the resource and the actions; so is `*` when it
 * holds only actions AWS authorizes on `*` alone.
 *
 * Judged once the app is complete (an Aspect): a table's index ARN appears in
 * its grants only once an index is added, which may come after the grant.
 */
export function acknowledgeRequiredWildcards(policy: iam.ManagedPolicy): void {
  Aspects.of(policy).add(new ChildWildcards(policy));
}

class ChildWildcards implements IAspect {
  constructor(private readonly policy: iam.ManagedPolicy) {}

  public visit(node: IConstruct): void {
    if (node !== this.policy.node.defaultChild) {
      return;
    }
    const stack = Stack.of(this.policy);
    const document = (stack.resolve(this.policy.document) ?? {}) as { Statement?: Array<{ Effect?: string; Action?: unknown; Resource?: unknown }> };
    acknowledgeStarOnlyActions(this.policy, document.Statement ?? []);
    for (const statement of document.Statement ?? []) {
      const actions = ([] as unknown[]).concat(statement.Action ?? []).join(', ');
      for (const resource of ([] as unknown[]).concat(statement.Resource ?? [])) {
        const owner = childWildcardOwner(stack, resource);
        if (owner) {
          Validations.of(this.policy).acknowledge({
            id: wildcardResolvedAckId(resource),
            reason: `The children of ${owner} only (${childrenOf(owner)}): ${actions} are authorized on each child's ARN, and the children are created at run time; CDK's grant names them with a wildcard under that one resource.`,
          });
        }
      }
    }
  }
}

/**
 * `Resource: '*'` is all AWS allows for an action without resource-level
 * permissions (cloudwatch:PutMetricData, xray:PutTraceSegments): when every
 * statement of the policy on `*` holds only such actions, the finding is
 * acknowledged naming them. One action that could be scoped, and it is not.
 */
function acknowledgeStarOnlyActions(policy: iam.ManagedPolicy, statements: Array<{ Effect?: string; Action?: unknown; Resource?: unknown }>): void {
  const onStar = statements.filter((st) => st.Effect === 'Allow' && ([] as unknown[]).concat(st.Resource ?? []).includes('*'));
  const actions = onStar.flatMap((st) => ([] as unknown[]).concat(st.Action ?? []).map(String));
  if (actions.length === 0 || !actions.every((action) => hasResourceLevelPermission(action) === false)) {
    return;
  }
  Validations.of(policy).acknowledge({
    id: wildcardResolvedAckId('*'),
    reason: `${[...new Set(actions)].sort().join(', ')} support no resource-level permissions (Service Authorization Reference): AWS authorizes them on '*' only, and nothing else in this policy is granted on '*'.`,
  });
}

/** The type and path of the stack resource whose children `resource` (resolved) names with a trailing wildcard. */
function childWildcardOwner(stack: Stack, resource: unknown): string | undefined {
  const parts = (resource as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join']?.[1];
  if (!parts || parts.length < 2) {
    return undefined;
  }
  const last = parts[parts.length - 1];
  // `/*`, `:*`, `/index/*`, or a key prefix such as `/uploads/*`: one wildcard, at the end; or a
  // WebSocket API stage's connections (`/prod/*/@connections/*`: POST, GET and DELETE on each).
  const oneAtTheEnd = typeof last === 'string' && /^[/:][^*]*\*$/.test(last);
  const connections = typeof last === 'string' && CONNECTIONS.test(last);
  if (typeof last !== 'string' || !(oneAtTheEnd || connections) || parts.slice(0, -1).some((p) => typeof p === 'string' && p.includes('*'))) {
    return undefined;
  }
  // The resource's own reference, past the pseudo parameters (AWS::Partition, AWS::Region...).
  const reference = parts.find((p) => typeof p === 'object' && p !== null
    && ('Fn::GetAtt' in p || ('Ref' in p && !String((p as Record<string, unknown>).Ref).startsWith('AWS::')))) as Record<string, any> | undefined;
  const logicalId = reference?.['Fn::GetAtt']?.[0] ?? reference?.Ref;
  if (typeof logicalId !== 'string' || logicalId.startsWith('AWS::')) {
    return undefined;
  }
  const found = StackIndex.resourceOf(stack, logicalId);
  return found ? `${found.cfnResourceType} ${found.node.path}` : undefined;
}

/** The connections of one stage of a WebSocket API, as its management API grant names them. */
const CONNECTIONS = /^\/[A-Za-z0-9_-]+\/\*\/@connections\/\*$/;

function childrenOf(owner: string): string {
  if (owner.startsWith('AWS::ApiGatewayV2::Api')) return 'the connections of one of its stages, each reached by POST, GET or DELETE';
  if (owner.startsWith('AWS::S3::Bucket')) return 'its objects';
  if (owner.startsWith('AWS::DynamoDB::')) return 'its indexes or streams';
  if (owner.startsWith('AWS::Logs::LogGroup')) return 'its log streams';
  return 'what it contains';
}
