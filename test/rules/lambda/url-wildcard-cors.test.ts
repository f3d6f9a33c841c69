import { CfnParameter } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FunctionView } from '../../../src/rules/function-view';
import { urlWildcardCors } from '../../../src/rules/lambda/lambda-url-wildcard-cors';
import { newStack } from '../../support/fixtures';
import { cfnFunction } from '../../support/rule-fixtures';

describe('lambda-url-wildcard-cors', () => {
  test('compliant: exact origins (L2), or no CORS at all (L1)', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    fn.addFunctionUrl({ cors: { allowedOrigins: ['https://app.example.com', 'https://admin.example.com'] } });
    expect(urlWildcardCors.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toBe('COMPLIANT');
    const bare = cfnFunction(stack);
    new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: bare.attrArn, authType: 'AWS_IAM' });
    expect(urlWildcardCors.check(FunctionView.of(bare))).toBe('COMPLIANT');
  });

  test('non-compliant: the L2 URL allowing \'*\'', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const url = fn.addFunctionUrl({ cors: { allowedOrigins: ['*'] } });
    const cfnUrl = url.node.defaultChild as lambda.CfnUrl;
    expect(urlWildcardCors.check(FunctionView.of(fn.node.defaultChild as lambda.CfnFunction))).toEqual([
      { resource: cfnUrl, problem: `function URL ${stack.resolve(cfnUrl.logicalId)} allows CORS origin '*'` },
    ]);
  });

  test('non-compliant: a wildcard pattern among exact origins (L1)', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    const url = new lambda.CfnUrl(stack, 'Url', {
      targetFunctionArn: fn.attrArn, authType: 'AWS_IAM', cors: { allowOrigins: ['https://app.example.com', 'https://*'] },
    });
    expect(urlWildcardCors.check(FunctionView.of(fn))).toEqual([{ resource: url, problem: "function URL Url allows CORS origin 'https://*'" }]);
  });

  test('unresolved: an origin or the whole list from a parameter', () => {
    const stack = newStack();
    const fn = cfnFunction(stack);
    new lambda.CfnUrl(stack, 'Url', {
      targetFunctionArn: fn.attrArn, authType: 'AWS_IAM', cors: { allowOrigins: ['https://app.example.com', new CfnParameter(stack, 'Origin').valueAsString] },
    });
    expect(urlWildcardCors.check(FunctionView.of(fn))).toBe('UNRESOLVED');
    const listed = cfnFunction(stack);
    new lambda.CfnUrl(stack, 'ListUrl', {
      targetFunctionArn: listed.attrArn, authType: 'AWS_IAM', cors: { allowOrigins: new CfnParameter(stack, 'Origins', { type: 'CommaDelimitedList' }).valueAsList },
    });
    expect(urlWildcardCors.check(FunctionView.of(listed))).toBe('UNRESOLVED');
    const conditional = cfnFunction(stack);
    const url = new lambda.CfnUrl(stack, 'IfUrl', { targetFunctionArn: conditional.attrArn, authType: 'AWS_IAM' });
    url.addPropertyOverride('Cors', { 'Fn::If': ['Dev', { AllowOrigins: ['*'] }, { Ref: 'AWS::NoValue' }] });
    expect(urlWildcardCors.check(FunctionView.of(conditional))).toBe('UNRESOLVED');
  });

  test('not applicable: no function URL', () => {
    const stack = newStack();
    expect(urlWildcardCors.check(FunctionView.of(cfnFunction(stack)))).toBe('NOT_APPLICABLE');
  });
});
