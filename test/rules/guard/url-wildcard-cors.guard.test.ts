import { CfnCondition, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { plainL2 as l2, runGuard, stackIn, verdictOf } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';

const RULE = 'lambda-url-wildcard-cors';

describe(`${RULE} in Guard`, () => {
  test('non-compliant: the L2 URL allowing \'*\' fails both, on the URL', () => {
    const { app, stack } = stackIn();
    const url = l2(stack).addFunctionUrl({ cors: { allowedOrigins: ['*'] } });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
    const failure = runGuard(app.synth().getStackByName('Stack').template).failures.find((f) => f.ruleId === RULE)!;
    expect(failure.logicalIds).toEqual([stack.resolve((url.node.defaultChild as lambda.CfnUrl).logicalId)]);
    expect(failure.messages[0]).toMatch(/^\[lambda-url-wildcard-cors\] Function URL CORS does not allow all origins/);
  });

  test('non-compliant: a wildcard pattern among exact origins (L1) fails both', () => {
    const { app, stack } = stackIn();
    const fn = cfnFunction(stack, {}, 'Fn');
    new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: 'AWS_IAM', cors: { allowOrigins: ['https://app.example.com', 'https://*'] } });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('non-compliant: a URL on an alias allowing \'*\' fails both', () => {
    const { app, stack } = stackIn();
    l2(stack).addAlias('live').addFunctionUrl({ cors: { allowedOrigins: ['*'] } });
    expect(verdictOf(app, RULE)).toEqual({ aspect: true, guard: true });
  });

  test('compliant: exact origins (L2)', () => {
    const { app, stack } = stackIn();
    l2(stack).addFunctionUrl({ cors: { allowedOrigins: ['https://app.example.com', 'https://admin.example.com'] } });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('compliant: no CORS at all (L1)', () => {
    const { app, stack } = stackIn();
    new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: cfnFunction(stack, {}, 'Fn').attrArn, authType: 'AWS_IAM' });
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('not applicable: no function URL', () => {
    const { app, stack } = stackIn();
    cfnFunction(stack, {}, 'Fn');
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test.each([
    ['an origin from a parameter', (stack: Stack, url: lambda.CfnUrl) => {
      url.cors = { allowOrigins: ['https://app.example.com', new CfnParameter(stack, 'Origin').valueAsString] };
    }],
    ['the whole list from a parameter', (stack: Stack, url: lambda.CfnUrl) => {
      url.cors = { allowOrigins: new CfnParameter(stack, 'Origins', { type: 'CommaDelimitedList' }).valueAsList };
    }],
    ['Cors from Fn::If', (stack: Stack, url: lambda.CfnUrl) => {
      new CfnCondition(stack, 'Dev', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Stage').valueAsString, 'dev') });
      url.addPropertyOverride('Cors', { 'Fn::If': ['Dev', { AllowOrigins: ['*'] }, { Ref: 'AWS::NoValue' }] });
    }],
  ])('unresolved: %s passes both', (_, set) => {
    const { app, stack } = stackIn();
    const url = new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: cfnFunction(stack, {}, 'Fn').attrArn, authType: 'AWS_IAM' });
    set(stack, url);
    expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
  });

  test('acknowledged on the function or on the URL: the exception travels in Metadata.guard.SuppressedRules', () => {
    for (const on of ['function', 'url']) {
      const { app, stack } = stackIn();
      const fn = l2(stack);
      const url = fn.addFunctionUrl({ cors: { allowedOrigins: ['*'] } });
      Validations.of(on === 'function' ? fn : url).acknowledge({ id: RULE, reason: 'a public, read-only status page' });
      expect(verdictOf(app, RULE)).toEqual({ aspect: false, guard: false });
    }
  });
});
