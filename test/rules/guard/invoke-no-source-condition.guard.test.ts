import { Aws, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { plainL2 as l2, runGuard, stackIn, verdictOf } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-invoke-no-source-condition';

function permission(stack: Stack, id: string, target: string, principal: string): lambda.CfnPermission {
  return new lambda.CfnPermission(stack, id, { functionName: target, action: 'lambda:InvokeFunction', principal });
}

describe(`${RULE} in Guard`, () => {
  test('non-compliant: grantInvoke to a service principal on the L2 fails both, on the permission', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    const cfn = fn.node.findAll().find((c) => c instanceof lambda.CfnPermission) as lambda.CfnPermission;
    const failure = runGuard(app.synth().getStackByName('Stack').template).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve(cfn.logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-invoke-no-source-condition\] Permissions for AWS service principals carry SourceArn or SourceAccount\. Fix: /);
  });

  test.each([
    ['a China-region principal', () => 'sns.amazonaws.com.cn'],
    ['a principal joined with AWS::URLSuffix', () => Fn.join('', ['logs.', Aws.URL_SUFFIX])],
    ['a principal joined with AWS::URLSuffix by a \'.\'', () => Fn.join('.', ['logs', Aws.URL_SUFFIX])],
  ])('non-compliant: an L1 permission for %s fails both', (_, principal) => {
    const { app, stack } = stackIn();
    permission(stack, 'Service', cfnFunction(stack, {}, 'Fn').ref, principal());
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('non-compliant: a service principal on an alias fails both', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    const version = new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
    const alias = new lambda.CfnAlias(stack, 'Live', { functionName: fn.ref, functionVersion: version.attrVersion, name: 'live' });
    permission(stack, 'Service', alias.ref, 's3.amazonaws.com');
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: a service principal with sourceArn or sourceAccount, an account principal without one', () => {
    const { app, stack } = stackIn();
    const fn = l2(stack);
    fn.addPermission('FromRule', { principal: new iam.ServicePrincipal('events.amazonaws.com'), sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/nightly' });
    fn.addPermission('FromBucket', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceAccount: '123456789012' });
    fn.grantInvoke(new iam.AccountPrincipal('123456789012'));
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: joins that do not name a service', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    permission(stack, 'NoDot', fn.ref, Fn.join('', ['logs', Aws.URL_SUFFIX]));
    permission(stack, 'Account', fn.ref, Fn.join('', ['1234', '56789012']));
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('unresolved: a principal from a parameter, or joined with the region, passes both', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    permission(stack, 'Param', fn.ref, new CfnParameter(stack, 'Who').valueAsString);
    permission(stack, 'Regional', fn.ref, Fn.join('', ['logs.', Aws.REGION, '.', Aws.URL_SUFFIX]));
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged on the function or on the permission: the exception travels in Metadata.guard.SuppressedRules', () => {
    for (const on of ['function', 'permission']) {
      const { app, stack } = stackIn();
      const fn = cfnFunction(stack, {}, 'Fn');
      const service = permission(stack, 'Service', fn.attrArn, 'events.amazonaws.com');
      Validations.of(on === 'function' ? fn : service).acknowledge({ id: RULE, reason: 'the rule is the only source, in this account' });
      expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
    }
  });
});
