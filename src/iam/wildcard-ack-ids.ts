import { Stack } from 'aws-cdk-lib';

/**
 * The acknowledgment id of cdk-nag's AwsSolutions-IAM5 finding for a wildcard
 * resource: the resource as cdk-nag renders it (references flattened to
 * `<Logical.Attr>`, `${X}` of Fn::Sub to `<X>`), so that an acknowledgment
 * follows the resource however the stack is synthesized.
 */
export function wildcardResourceAckId(stack: Stack, resource: string): string {
  return wildcardResolvedAckId(stack.resolve(resource));
}

/** As wildcardResourceAckId, for a resource already resolved. */
export function wildcardResolvedAckId(resource: unknown): string {
  return `AwsSolutions::AwsSolutions-IAM5[Resource::${flatten(resource)}]`;
}

function flatten(node: unknown): string {
  if (node === undefined) {
    return '';
  }
  if (typeof node === 'string') {
    return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const intrinsic = node as Record<string, any>;
  if (intrinsic['Fn::Join']) {
    const [delimiter, items] = intrinsic['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (intrinsic['Fn::Sub'] !== undefined) {
    return flatten(intrinsic['Fn::Sub']);
  }
  if (intrinsic['Fn::GetAtt']) {
    const [resource, attribute] = intrinsic['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (intrinsic['Fn::ImportValue'] !== undefined) {
    return flatten(intrinsic['Fn::ImportValue']);
  }
  if (intrinsic.Ref !== undefined) {
    return `<${flatten(intrinsic.Ref)}>`;
  }
  return JSON.stringify(node);
}
