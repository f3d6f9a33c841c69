import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { computeRoleWildcard } from '../../../src/rules/lambda/lambda-compute-role-wildcard';
import { capacityProvider, microvmImage, webRevision } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

/** A role of the stack with one customer-managed policy holding `statement`. */
function roleWith(stack: Stack, service: string, statement: iam.PolicyStatement) {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal(service) });
  const policy = new iam.ManagedPolicy(stack, 'Policy', { roles: [role], statements: [statement] });
  return { role, policy: policy.node.defaultChild as iam.CfnManagedPolicy };
}

const LAMBDA = 'lambda.amazonaws.com';

ruleTable(computeRoleWildcard, [
  {
    name: 'compliant: a revision whose execution role reads one table',
    build: (stack) => {
      const { role } = roleWith(stack, LAMBDA, new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:111111111111:table/orders'] }));
      return { fn: webRevision(stack, 'Revision', {}, { executionRoleArn: role.roleArn }), check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: a revision whose execution role may do everything, on the policy',
    build: (stack) => {
      const { role, policy } = roleWith(stack, LAMBDA, new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
      return { fn: webRevision(stack, 'Revision', {}, { executionRoleArn: role.roleArn }), check: [{ on: policy, problem: /^policy Policy[0-9A-F]{8} allows Action '\*': every action of every service$/ }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('Policy').node.defaultChild as iam.CfnManagedPolicy).logicalId)],
  },
  {
    name: 'non-compliant: a capacity provider whose operator role has ec2:* on every resource',
    build: (stack) => {
      const { role, policy } = roleWith(stack, LAMBDA, new iam.PolicyStatement({ actions: ['ec2:*'], resources: ['*'] }));
      return {
        fn: capacityProvider(stack, 'Provider', { permissionsConfig: { capacityProviderOperatorRoleArn: role.roleArn } }),
        check: [{ on: policy, problem: /^policy Policy[0-9A-F]{8} allows Action 'ec2:\*' on Resource '\*'$/ }],
      };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('Policy').node.defaultChild as iam.CfnManagedPolicy).logicalId)],
  },
  {
    name: 'non-compliant: a MicroVM image whose build role has a NotAction',
    build: (stack) => {
      const { role, policy } = roleWith(stack, LAMBDA, new iam.PolicyStatement({ notActions: ['iam:*'], resources: ['*'] }));
      Validations.of(policy).acknowledge({ id: 'CloudFormation-Validate::W2512', reason: 'the NotAction is what the case judges' });
      return { fn: microvmImage(stack, 'Image', { buildRoleArn: role.roleArn }), check: [{ on: policy, problem: /^policy Policy[0-9A-F]{8} allows NotAction "iam:\*": every action but those$/ }] };
    },
  },
  {
    name: 'unresolved: a role of another account',
    build: (stack) => ({ fn: webRevision(stack, 'Revision', {}, { executionRoleArn: 'arn:aws:iam::222222222222:role/web' }), check: 'UNRESOLVED' }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const { role, policy } = roleWith(stack, LAMBDA, new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
      Validations.of(policy).acknowledge({ id: computeRoleWildcard.id, reason: 'a build sandbox account without data' });
      return { fn: microvmImage(stack, 'Image', { buildRoleArn: role.roleArn }), check: [{ on: policy, problem: /^policy Policy[0-9A-F]{8} allows Action 's3:\*' on Resource '\*'$/ }] };
    },
    reported: false,
  },
]);
