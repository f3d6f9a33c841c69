// The resources of a resolved template by what other resources name them
// with: ARNs, queue URLs, stream ARNs, function names. The access model
// follows the template's wiring through it.
import { ResolvedResource, ResolvedTemplate } from './cfn-resolver';

/** The service of an ARN: 'sqs' of arn:aws:sqs:... */
export const serviceOf = (arn: string): string => (typeof arn === 'string' ? arn.split(':')[2] ?? '' : '');

/** The attributes other resources point at a resource with. */
const POINTER_ATTRIBUTES = ['Arn', 'TopicArn', 'QueueUrl', 'StreamArn', 'ConsumerARN', 'AliasArn'];

/** Resources of the template by ARN (and queue URL, stream ARN), to follow what a property points at. */
export class ResourceIndex {
  private readonly byArn = new Map<string, ResolvedResource>();
  constructor(private readonly d: ResolvedTemplate) {
    for (const r of Object.values(d.resources)) {
      for (const attr of POINTER_ATTRIBUTES) {
        try {
          const value = d.getAtt(r.logicalId, attr);
          if (!value.startsWith(`${r.logicalId}.`) && !this.byArn.has(value)) this.byArn.set(value, r);
        } catch {
          // not an attribute of this type
        }
      }
      this.byArn.set(d.ref(r.logicalId), r);
    }
  }

  public find(arnOrUrl: string | undefined): ResolvedResource | undefined {
    return arnOrUrl === undefined ? undefined : this.byArn.get(arnOrUrl);
  }

  /** The template key that encrypts `resource` (queue, topic, secret, log group, table, bucket, stream, bus...), if any. */
  public keyOf(resource: ResolvedResource | undefined): string | undefined {
    const p = resource?.properties ?? {};
    const bucketKey = (p.BucketEncryption?.ServerSideEncryptionConfiguration ?? [])
      .map((rule: any) => rule.ServerSideEncryptionByDefault?.KMSMasterKeyID).find(Boolean);
    const key = p.KmsMasterKeyId ?? p.KmsKeyId ?? p.KMSMasterKeyID ?? p.SSESpecification?.KMSMasterKeyId
      ?? p.StreamEncryption?.KeyId ?? p.KmsKeyIdentifier ?? p.EncryptionConfiguration?.KmsKeyId ?? bucketKey;
    if (key === undefined) return undefined;
    const found = this.find(key) ?? this.d.ofType('AWS::KMS::Alias').map((a) => a.properties.AliasName === key ? this.find(a.properties.TargetKeyId) : undefined).find(Boolean);
    return found?.type === 'AWS::KMS::Key' ? this.d.getAtt(found.logicalId, 'Arn') : undefined;
  }

  /** The template key of the resource an ARN or URL points at. */
  public keyAt(arnOrUrl: string | undefined): string | undefined {
    return this.keyOf(this.find(arnOrUrl));
  }

  /**
   * The AWS::Lambda::Function a FunctionName names: a name, `name:qualifier`,
   * a function, version or alias ARN, or a partial ARN (`123456789012:function:name`).
   */
  public functionNamed(nameOrArn: string | undefined): ResolvedResource | undefined {
    if (typeof nameOrArn !== 'string') return undefined;
    const parts = nameOrArn.split(':');
    const at = parts.indexOf('function');
    const name = at >= 0 ? parts[at + 1] : parts[0];
    return this.d.ofType('AWS::Lambda::Function').find((fn) => this.d.ref(fn.logicalId) === name);
  }

  /** The execution role of the function a FunctionName names. */
  public roleOfFunction(nameOrArn: string | undefined): string | undefined {
    return this.functionNamed(nameOrArn)?.properties.Role;
  }
}
