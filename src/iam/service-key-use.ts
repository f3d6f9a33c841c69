// Which key grants are for a service that encrypts a resource on the code's
// behalf, so that they are scoped to that service (kms:ViaService) and open no
// KMS endpoint: DynamoDB, SQS, S3... call KMS themselves when the code reads or
// writes the resource, from outside the function's VPC.
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { currentProperties } from '../cfn/cdk-internals';
import { StackIndex } from '../cfn/stack-index';

/** The service that uses a resource's key on the caller's behalf, by resource type (its kms:ViaService name). */
const ENCRYPTING_SERVICES: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::S3::Bucket': 's3',
  'AWS::SecretsManager::Secret': 'secretsmanager',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::KinesisFirehose::DeliveryStream': 'firehose',
  'AWS::Events::EventBus': 'events',
  'AWS::StepFunctions::StateMachine': 'states',
};

type StatementJson = { Action?: string | string[]; Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };

/**
 * Follows the grants of one role in order. CDK's grant methods grant the
 * resource first and its key right after (table.grantReadData: dynamodb:*
 * on the table, then kms:Decrypt on its key): a key grant that follows a grant
 * on a resource of the stack encrypted with that key is the service's use of
 * it, and is scoped to that service. Any other key grant (key.grantDecrypt(fn),
 * a key that encrypts nothing the code was just granted) is the code's own use
 * and keeps its KMS endpoint.
 */
export class ServiceKeyUse {
  /** The resources of the code's grants since the last key grant, resolved. */
  private recent: unknown[] = [];

  constructor(private readonly stack: Stack) {}

  /**
   * Scopes `statement` to the services it is for when it is such a key grant,
   * and remembers what a grant of another service was on.
   *
   * @returns the services it was scoped to (none: left as it was)
   */
  public scope(statement: iam.PolicyStatement): string[] {
    const json = this.stack.resolve(statement.toStatementJson()) as StatementJson;
    const actions = [json.Action ?? []].flat();
    const resources = [json.Resource ?? []].flat();
    if (actions.length === 0 || !actions.every((action) => /^kms:/i.test(action))) {
      this.recent.push(...resources);
      return [];
    }
    const recent = this.recent;
    this.recent = [];
    if (Object.values(json.Condition ?? {}).some((block) => 'kms:ViaService' in block)) {
      return [];
    }
    const keys = resources.map((resource) => referencedIds(resource)[0]);
    if (keys.length === 0 || keys.some((key) => key === undefined)) {
      return [];
    }
    const services = new Set<string>();
    for (const id of recent.flatMap(referencedIds)) {
      const resource = StackIndex.resourceOf(this.stack, id);
      const service = resource && ENCRYPTING_SERVICES[resource.cfnResourceType];
      if (service && keys.every((key) => encryptsWith(this.stack, resource, key!))) {
        services.add(service);
      }
    }
    if (services.size === 0) {
      return [];
    }
    const via = [...services].sort().map((service) => `${service}.${this.stack.region}.amazonaws.com`);
    statement.addCondition('StringEquals', { 'kms:ViaService': via.length === 1 ? via[0] : via });
    return [...services].sort();
  }
}

/** The logical ids of the stack's resources a resolved value references (Ref, Fn::GetAtt), pseudo parameters aside. */
function referencedIds(value: unknown): string[] {
  const text = JSON.stringify(value) ?? '';
  const ids = [...text.matchAll(/"Fn::GetAtt":\["([^"]+)"/g), ...text.matchAll(/"Ref":"([^"]+)"/g)].map((m) => m[1]);
  return ids.filter((id) => !id.startsWith('AWS::'));
}

/** Whether `resource` names the key with logical id `key` in its properties (its encryption settings). */
function encryptsWith(stack: Stack, resource: CfnResource, key: string): boolean {
  return referencedIds(stack.resolve(currentProperties(resource))).includes(key);
}
