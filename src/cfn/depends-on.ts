import { CfnResource, Stack } from 'aws-cdk-lib';
import { renderedProperties, willSynthesize } from './cdk-internals';

/**
 * Drops from a resource's DependsOn what its properties already wait for
 * through Ref or Fn::GetAtt (cfn-lint W3005): lambda.Function waits for its
 * role by construct, which also lists the role its Role property names.
 * Rendered as the template is written, once every dependency is known.
 */
export function dropRedundantDependsOn(resource: CfnResource): void {
  const stack = Stack.of(resource);
  resource.addOverride('DependsOn', {
    resolve: () => {
      const referenced = new Set<string>();
      collectReferences(stack.resolve(renderedProperties(resource)), referenced);
      const ids = resource.obtainDependencies()
        .filter(CfnResource.isCfnResource)
        .filter(willSynthesize)
        .map((d) => stack.resolve(d.logicalId) as string);
      const kept = [...new Set(ids)].filter((id) => !referenced.has(id)).sort();
      return kept.length ? kept : undefined;
    },
    creationStack: [],
  });
}

function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectReferences(v, into));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'Ref' && typeof inner === 'string') {
        into.add(inner);
      } else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') {
        into.add(inner[0]);
      }
      collectReferences(inner, into);
    }
  }
}
