import { Aws, CfnCondition, Fn, ICfnConditionExpression, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** CloudFormation's Fn::Or takes 2 to 10 conditions. */
const MAX_OR = 10;

/**
 * Where a resource that exists only in some regions is created: `true` or
 * `false` when the stack's region is known at synthesis, else a CloudFormation
 * condition that is true in exactly `regions` (an env-agnostic stack decides at
 * deployment). A region missing from `regions`, a new one included, is false.
 */
export function inRegions(scope: Construct, id: string, regions: readonly string[]): boolean | CfnCondition {
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region)) {
    return regions.includes(region);
  }
  if (regions.length === 0) {
    return false;
  }
  return new CfnCondition(scope, id, { expression: anyOf(regions.map((r) => Fn.conditionEquals(Aws.REGION, r))) });
}

function anyOf(conditions: ICfnConditionExpression[]): ICfnConditionExpression {
  if (conditions.length === 1) {
    return conditions[0];
  }
  if (conditions.length <= MAX_OR) {
    return Fn.conditionOr(...conditions);
  }
  const groups: ICfnConditionExpression[] = [];
  for (let i = 0; i < conditions.length; i += MAX_OR) {
    groups.push(anyOf(conditions.slice(i, i + MAX_OR)));
  }
  return anyOf(groups);
}
