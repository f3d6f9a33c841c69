import { Aws, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { invokeNoSourceCondition } from '../../../src/rules/lambda/lambda-invoke-no-source-condition';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

function permission(stack: Stack, id: string, target: string, principal: string): lambda.CfnPermission {
  return new lambda.CfnPermission(stack, id, { functionName: target, action: 'lambda:InvokeFunction', principal });
}

/** The one permission under the L2 `Fn` (grantInvoke names it after the principal). */
function grantOf(stack: Stack): lambda.CfnPermission {
  return stack.node.findChild('Fn').node.findAll().find((c) => c instanceof lambda.CfnPermission) as lambda.CfnPermission;
}

const problem = (id: string, principal: string) =>
  `permission ${id} lets service principal ${principal} invoke the function with no SourceArn or SourceAccount`;

ruleTable(invokeNoSourceCondition, [
  {
    name: 'compliant: addPermission with a service principal and sourceArn or sourceAccount, an account principal without one',
    build: (stack) => {
      const fn = l2(stack);
      fn.addPermission('FromRule', {
        principal: new iam.ServicePrincipal('events.amazonaws.com'), sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/nightly',
      });
      fn.addPermission('FromBucket', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceAccount: '123456789012' });
      fn.grantInvoke(new iam.AccountPrincipal('123456789012'));
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: grantInvoke to a service principal on the L2, on the permission',
    build: (stack) => {
      const fn = l2(stack);
      fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));
      const cfn = grantOf(stack);
      return {
        fn,
        check: [{
          on: cfn,
          problem: `permission ${stack.resolve(cfn.logicalId)} lets service principal events.amazonaws.com invoke the function `
            + 'with no SourceArn or SourceAccount',
        }],
      };
    },
    guardPointsAt: (stack) => [stack.resolve(grantOf(stack).logicalId)],
  },
  {
    name: 'non-compliant: L1 permissions for a China-region principal, and a principal joined with AWS::URLSuffix',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const cn = permission(stack, 'China', fn.ref, 'sns.amazonaws.com.cn');
      const joined = permission(stack, 'Joined', fn.ref, Fn.join('', ['logs.', Aws.URL_SUFFIX]));
      return {
        fn,
        check: [
          {
            on: cn,
            problem: 'permission China lets service principal sns.amazonaws.com.cn invoke the function with no SourceArn or SourceAccount',
          },
          {
            on: joined,
            problem: 'permission Joined lets service principal logs.amazonaws.com invoke the function with no SourceArn or SourceAccount',
          },
        ],
      };
    },
    guardPointsAt: () => ['China', 'Joined'],
  },
  ...([
    ['a China-region principal', () => 'sns.amazonaws.com.cn', 'sns.amazonaws.com.cn'],
    ['a principal joined with AWS::URLSuffix', () => Fn.join('', ['logs.', Aws.URL_SUFFIX]), 'logs.amazonaws.com'],
    ['a principal joined with AWS::URLSuffix by a \'.\'', () => Fn.join('.', ['logs', Aws.URL_SUFFIX]), 'logs.amazonaws.com'],
  ] as const).map(([what, principal, service]) => ({
    name: `non-compliant: an L1 permission for ${what}`,
    build: (stack: Stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'Service', fn.ref, principal());
      return { fn, check: [{ on: 'Service', problem: problem('Service', service) }] };
    },
  })),
  {
    name: 'non-compliant: a service principal on an alias',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
      const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
      permission(stack, 'Service', alias.ref, 's3.amazonaws.com');
      return { fn, check: [{ on: 'Service', problem: problem('Service', 's3.amazonaws.com') }] };
    },
  },
  {
    name: 'compliant: joins that do not name a service',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'NoDot', fn.ref, Fn.join('', ['logs', Aws.URL_SUFFIX]));
      permission(stack, 'Account', fn.ref, Fn.join('', ['1234', '56789012']));
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'unresolved: a principal from a parameter',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'Param', fn.ref, new CfnParameter(stack, 'Who').valueAsString);
      return { fn, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'unresolved: a principal joined with the region',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      permission(stack, 'Regional', fn.ref, Fn.join('', ['logs.', Aws.REGION, '.', Aws.URL_SUFFIX]));
      return { fn, check: 'UNRESOLVED' };
    },
  },
  ...(['function', 'permission'] as const).map((on) => ({
    name: `acknowledged on the ${on}: the exception travels in Metadata.guard.SuppressedRules`,
    build: (stack: Stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const service = permission(stack, 'Service', fn.attrArn, 'events.amazonaws.com');
      Validations.of(on === 'function' ? fn : service).acknowledge({
        id: invokeNoSourceCondition.id, reason: 'the rule is the only source, in this account',
      });
      return { fn, check: [{ on: service, problem: problem('Service', 'events.amazonaws.com') }] };
    },
    reported: false,
  })),
]);
