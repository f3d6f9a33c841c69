import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { invokePublic } from '../../../src/rules/lambda/lambda-invoke-public';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

function permission(stack: Stack, id: string, fn: lambda.CfnFunction, props: Partial<lambda.CfnPermissionProps> = {}): lambda.CfnPermission {
  return new lambda.CfnPermission(stack, id, { functionName: fn.attrArn, action: 'lambda:InvokeFunction', principal: '*', ...props });
}

/** The permission `Fn/Anyone` that the L2 grants to AnyPrincipal. */
function anyone(stack: Stack): lambda.CfnPermission {
  return stack.node.findChild('Fn').node.findChild('Anyone') as lambda.CfnPermission;
}

/** A version of `fn` and its alias `live`. */
function aliasOf(stack: Stack, fn: lambda.CfnFunction): lambda.CfnAlias {
  const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
  return new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
}

const STAR = "permission Star grants lambda:InvokeFunction to Principal '*' without PrincipalOrgID";
const ROOTS = "permission Roots grants lambda:InvokeFunction to Principal 'arn:aws:iam::*:root' without PrincipalOrgID";
const IAM_URL = "permission IamUrl grants lambda:InvokeFunctionUrl to Principal '*' without PrincipalOrgID";

ruleTable(invokePublic, [
  {
    name: 'compliant: an account, an organization, a public URL (judged by lambda-url-public)',
    build: (stack) => {
      const fn = l2(stack);
      fn.grantInvoke(new iam.AccountPrincipal('123456789012'));
      fn.grantInvoke(new iam.OrganizationPrincipal('o-abc1234567'));
      fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: the L2 granting AnyPrincipal, on the permission',
    build: (stack) => {
      const fn = l2(stack);
      fn.addPermission('Anyone', { principal: new iam.AnyPrincipal() });
      const cfn = anyone(stack);
      const problem = `permission ${stack.resolve(cfn.logicalId)} grants lambda:InvokeFunction to Principal '*' without PrincipalOrgID`;
      return { fn, check: [{ on: cfn, problem }] };
    },
    guardPointsAt: (stack) => [stack.resolve(anyone(stack).logicalId)],
  },
  {
    name: 'non-compliant: L1 permissions for \'*\' on an alias and for every account root, even with an AWS_IAM URL auth type',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const star = permission(stack, 'Star', fn, { functionName: aliasOf(stack, fn).ref });
      const roots = permission(stack, 'Roots', fn, { principal: 'arn:aws:iam::*:root' });
      const iamUrl = permission(stack, 'IamUrl', fn, { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'AWS_IAM' });
      return { fn, check: [{ on: star, problem: STAR }, { on: roots, problem: ROOTS }, { on: iamUrl, problem: IAM_URL }] };
    },
    guardPointsAt: () => ['IamUrl', 'Roots', 'Star'],
  },
  {
    name: 'non-compliant: an L1 permission for \'*\' on an alias',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'Star', fn, { functionName: aliasOf(stack, fn).ref });
      return { fn, check: [{ on: 'Star', problem: STAR }] };
    },
  },
  {
    name: 'non-compliant: an L1 permission for \'*\' on a version',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'Star', fn, { functionName: new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref }).ref });
      return { fn, check: [{ on: 'Star', problem: STAR }] };
    },
  },
  {
    name: 'non-compliant: an L1 permission for every account root',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'Roots', fn, { principal: 'arn:aws:iam::*:root' });
      return { fn, check: [{ on: 'Roots', problem: ROOTS }] };
    },
  },
  {
    name: 'non-compliant: an L1 permission for \'*\' with an AWS_IAM URL auth type',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'IamUrl', fn, { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'AWS_IAM' });
      return { fn, check: [{ on: 'IamUrl', problem: IAM_URL }] };
    },
  },
  {
    name: 'compliant: \'*\' with PrincipalOrgID, even from a parameter',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'Org', fn, { principalOrgId: new CfnParameter(stack, 'OrgId').valueAsString });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: a permission for a function outside the stack is not judged',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      new lambda.CfnPermission(stack, 'Elsewhere', {
        functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:other', action: 'lambda:InvokeFunction', principal: '*',
      });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'unresolved: a principal from a parameter',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'Param', fn, { principal: new CfnParameter(stack, 'Who').valueAsString });
      return { fn, check: 'UNRESOLVED' };
    },
  },
  ...(['function', 'permission'] as const).map((on) => ({
    name: `acknowledged on the ${on}: the exception travels in Metadata.guard.SuppressedRules`,
    build: (stack: Stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const open = permission(stack, 'Star', fn);
      Validations.of(on === 'function' ? fn : open).acknowledge({ id: invokePublic.id, reason: 'a public webhook, rate-limited upstream' });
      return { fn, check: [{ on: open, problem: STAR }] };
    },
    reported: false,
  })),
]);
