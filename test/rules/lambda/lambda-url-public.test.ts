import { CfnParameter, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { urlPublic } from '../../../src/rules/lambda/lambda-url-public';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

/** The L2 function `Fn` with a URL with AuthType NONE: the function, the URL and the URL's permission to everyone. */
function publicUrl(stack: Stack) {
  const fn = l2(stack);
  const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  return { fn, url, permission: fn.node.findChild('invoke-function-url') as lambda.CfnPermission };
}

/** What the check says of `publicUrl`: the URL, then its permission. */
function publicUrlViolations(stack: Stack, url: lambda.FunctionUrl, permission: lambda.CfnPermission) {
  const cfnUrl = url.node.defaultChild as lambda.CfnUrl;
  return [
    { on: cfnUrl, problem: `function URL ${stack.resolve(cfnUrl.logicalId)} has AuthType NONE: anyone can invoke it without authentication` },
    {
      on: permission,
      problem: `permission ${stack.resolve(permission.logicalId)} lets anyone (Principal '*') invoke the function URL with FunctionUrlAuthType NONE`,
    },
  ];
}

/** The logical id of the resource at `path` under the stack (or of its default child). */
function idAt(stack: Stack, ...path: string[]): string {
  const construct = path.reduce<IConstruct>((scope, id) => scope.node.findChild(id), stack);
  return stack.resolve(((construct.node.defaultChild ?? construct) as CfnResource).logicalId);
}

const REASON = 'a public status endpoint';

ruleTable(urlPublic, [
  {
    name: 'compliant: the L2 URL with AWS_IAM',
    build: (stack) => {
      const fn = l2(stack);
      fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: the L2 URL with NONE, on the URL and on its permission to everyone',
    build: (stack) => {
      const { fn, url, permission } = publicUrl(stack);
      return { fn, check: publicUrlViolations(stack, url, permission) };
    },
    guardPointsAt: (stack) => [idAt(stack, 'Fn', 'FunctionUrl'), idAt(stack, 'Fn', 'invoke-function-url')],
  },
  {
    name: 'non-compliant: an L1 URL with NONE on an alias',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
      const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
      const url = new lambda.CfnUrl(stack, 'AliasUrl', { targetFunctionArn: alias.ref, authType: 'NONE', qualifier: 'live' });
      return {
        fn,
        check: [{ on: url, problem: 'function URL AliasUrl (qualifier live) has AuthType NONE: anyone can invoke it without authentication' }],
      };
    },
    guardPointsAt: () => ['AliasUrl'],
  },
  {
    name: 'non-compliant: a permission with FunctionUrlAuthType NONE to everyone, beside an AWS_IAM URL',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: 'AWS_IAM' });
      const permission = new lambda.CfnPermission(stack, 'Anyone', {
        functionName: fn.attrArn, action: 'lambda:InvokeFunctionUrl', principal: '*', functionUrlAuthType: 'NONE',
      });
      new lambda.CfnPermission(stack, 'OneAccount', {
        functionName: fn.attrArn, action: 'lambda:InvokeFunctionUrl', principal: '123456789012', functionUrlAuthType: 'AWS_IAM',
      });
      return {
        fn,
        check: [{ on: permission, problem: "permission Anyone lets anyone (Principal '*') invoke the function URL with FunctionUrlAuthType NONE" }],
      };
    },
    guardPointsAt: () => ['Anyone'],
  },
  {
    name: 'unresolved: AuthType from a parameter',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: new CfnParameter(stack, 'Auth').valueAsString });
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'unresolved: AuthType, and the principal of a permission with FunctionUrlAuthType NONE, from parameters',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: new CfnParameter(stack, 'Auth').valueAsString });
      new lambda.CfnPermission(stack, 'Someone', {
        functionName: fn.attrArn,
        action: 'lambda:InvokeFunctionUrl',
        principal: new CfnParameter(stack, 'Who').valueAsString,
        functionUrlAuthType: 'NONE',
      });
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'not applicable: no function URL',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'NOT_APPLICABLE' }),
  },
  {
    name: 'acknowledged on the function: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const { fn, url, permission } = publicUrl(stack);
      Validations.of(fn).acknowledge({ id: urlPublic.id, reason: REASON });
      return { fn, check: publicUrlViolations(stack, url, permission) };
    },
    reported: false,
  },
  {
    name: 'acknowledged on the URL and its permission: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const { fn, url, permission } = publicUrl(stack);
      Validations.of(url).acknowledge({ id: urlPublic.id, reason: REASON });
      Validations.of(permission).acknowledge({ id: urlPublic.id, reason: REASON });
      return { fn, check: publicUrlViolations(stack, url, permission) };
    },
    reported: false,
  },
  {
    name: 'acknowledged on the URL only: its permission to everyone still fails both',
    build: (stack) => {
      const { fn, url, permission } = publicUrl(stack);
      Validations.of(url).acknowledge({ id: urlPublic.id, reason: REASON });
      return { fn, check: publicUrlViolations(stack, url, permission) };
    },
    reported: true,
    guardPointsAt: (stack) => [idAt(stack, 'Fn', 'invoke-function-url')],
  },
]);
