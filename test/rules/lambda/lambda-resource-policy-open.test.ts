import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { resourcePolicyOpen } from '../../../src/rules/lambda/lambda-resource-policy-open';
import { resourcePolicy } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

const INVOKE = 'lambda:InvokeFunction';

ruleTable(resourcePolicyOpen, [
  {
    name: 'compliant: a wildcard scoped to the organization, a service with its source, an account with a condition, a Deny',
    build: (stack) => ({
      fn: resourcePolicy(stack, 'Policy', [
        { Effect: 'Allow', Principal: '*', Action: INVOKE, Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
        { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: INVOKE, Resource: '*', Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::b' } } },
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: INVOKE, Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::210987654321:role/caller' } } },
        { Effect: 'Deny', Principal: '*', Action: INVOKE, Resource: '*' },
      ]),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: Principal * with no condition, on the policy',
    build: (stack) => ({
      fn: resourcePolicy(stack, 'Policy', [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: INVOKE, Resource: '*' }]),
      check: [{ on: 'Policy', problem: /^statement 'Open' allows every principal/ }],
    }),
    guardPointsAt: () => ['Policy'],
  },
  {
    name: 'non-compliant: AWS * in a list, scoped by a source account only',
    build: (stack) => ({
      fn: resourcePolicy(stack, 'Policy', [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::210987654321:root', '*'] }, Action: INVOKE, Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }]),
      check: [{ on: 'Policy', problem: /^statement 0 allows every principal/ }],
    }),
  },
  {
    name: 'non-compliant: a service principal with no source condition',
    build: (stack) => ({
      fn: resourcePolicy(stack, 'Policy', [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: INVOKE, Resource: '*' }]),
      check: [{ on: 'Policy', problem: /^statement 0 lets events\.amazonaws\.com invoke it without aws:SourceArn or aws:SourceAccount/ }],
    }),
  },
  {
    name: 'non-compliant: another account by its id, without a condition',
    build: (stack) => ({
      fn: resourcePolicy(stack, 'Policy', [{ Effect: 'Allow', Principal: { AWS: '210987654321' }, Action: INVOKE, Resource: '*' }]),
      check: [{ on: 'Policy', problem: /^statement 0 grants an account by its id without a condition/ }],
    }),
  },
  {
    name: 'non-compliant: the L2 WebFunction.addToResourcePolicy with AnyPrincipal and with an AccountPrincipal',
    build: (stack) => {
      const bucket = new s3.Bucket(stack, 'Code', { versioned: true });
      const web = new lambda.WebFunction(stack, 'Web', {
        code: lambda.WebFunctionCode.fromBucket(bucket, 'web.zip'), runtime: lambda.WebFunctionRuntime.NODEJS_24_X, defaultEndpointAuth: lambda.WebFunctionAuthType.IAM_AUTH,
      });
      web.addToResourcePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeWebFunction'], principals: [new iam.AnyPrincipal()], resources: ['*'] }));
      web.addToResourcePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeWebFunction'], principals: [new iam.AccountPrincipal('210987654321')], resources: ['*'] }));
      const policy = web.node.findChild('ResourcePolicy');
      return { fn: policy, check: [{ on: policy, problem: /^statement '0' allows every principal/ }, { on: policy, problem: /^statement '1' grants an account/ }] };
    },
  },
  {
    name: 'unresolved: a principal from a parameter is not judged',
    build: (stack) => ({
      fn: resourcePolicy(stack, 'Policy', [{ Effect: 'Allow', Principal: { Ref: new CfnParameter(stack, 'Who').logicalId }, Action: INVOKE, Resource: '*' }]),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const policy = resourcePolicy(stack, 'Policy', [{ Effect: 'Allow', Principal: '*', Action: INVOKE, Resource: '*' }]);
      Validations.of(policy).acknowledge({ id: resourcePolicyOpen.id, reason: 'a public webhook, authenticated by its signature' });
      return { fn: policy, check: [{ on: policy, problem: /allows every principal/ }] };
    },
    reported: false,
  },
]);
