import { CfnCondition, CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { urlWildcardCors } from '../../../src/rules/lambda/lambda-url-wildcard-cors';
import { plainL2 as l2 } from '../../support/guard-harness';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

/** The L1 of a function URL. */
const cfnUrlOf = (url: lambda.FunctionUrl) => url.node.defaultChild as lambda.CfnUrl;

/** The check's violation for a URL built by the L2 allowing '*'. */
function allowsAll(stack: Stack, url: lambda.FunctionUrl) {
  return [{ on: cfnUrlOf(url), problem: `function URL ${stack.resolve(cfnUrlOf(url).logicalId)} allows CORS origin '*'` }];
}

/** An L1 function `Fn` with an AWS_IAM URL `Url` whose CORS `set` writes. */
function unresolved(name: string, set: (stack: Stack, url: lambda.CfnUrl) => void) {
  return {
    name: `unresolved: ${name}`,
    build: (stack: Stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      set(stack, new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: 'AWS_IAM' }));
      return { fn, check: 'UNRESOLVED' as const };
    },
  };
}

ruleTable(urlWildcardCors, [
  {
    name: 'compliant: exact origins (L2)',
    build: (stack) => {
      const fn = l2(stack);
      fn.addFunctionUrl({ cors: { allowedOrigins: ['https://app.example.com', 'https://admin.example.com'] } });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'compliant: no CORS at all (L1)',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      new lambda.CfnUrl(stack, 'Url', { targetFunctionArn: fn.attrArn, authType: 'AWS_IAM' });
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: the L2 URL allowing \'*\', on the URL',
    build: (stack) => {
      const fn = l2(stack);
      return { fn, check: allowsAll(stack, fn.addFunctionUrl({ cors: { allowedOrigins: ['*'] } })) };
    },
    guardPointsAt: (stack) => [stack.resolve(cfnUrlOf(stack.node.findChild('Fn').node.findChild('FunctionUrl') as lambda.FunctionUrl).logicalId)],
  },
  {
    name: 'non-compliant: a wildcard pattern among exact origins (L1)',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      const url = new lambda.CfnUrl(stack, 'Url', {
        targetFunctionArn: fn.attrArn, authType: 'AWS_IAM', cors: { allowOrigins: ['https://app.example.com', 'https://*'] },
      });
      return { fn, check: [{ on: url, problem: "function URL Url allows CORS origin 'https://*'" }] };
    },
    guardPointsAt: () => ['Url'],
  },
  {
    name: 'non-compliant: a URL on an alias allowing \'*\'',
    build: (stack) => {
      const fn = l2(stack);
      return { fn, check: allowsAll(stack, fn.addAlias('live').addFunctionUrl({ cors: { allowedOrigins: ['*'] } })) };
    },
  },
  {
    name: 'not applicable: no function URL',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'NOT_APPLICABLE' }),
  },
  unresolved('an origin from a parameter', (stack, url) => {
    url.cors = { allowOrigins: ['https://app.example.com', new CfnParameter(stack, 'Origin').valueAsString] };
  }),
  unresolved('the whole list from a parameter', (stack, url) => {
    url.cors = { allowOrigins: new CfnParameter(stack, 'Origins', { type: 'CommaDelimitedList' }).valueAsList };
  }),
  unresolved('Cors from Fn::If', (stack, url) => {
    new CfnCondition(stack, 'Dev', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Stage').valueAsString, 'dev') });
    url.addPropertyOverride('Cors', { 'Fn::If': ['Dev', { AllowOrigins: ['*'] }, { Ref: 'AWS::NoValue' }] });
  }),
  ...(['function', 'URL'] as const).map((on) => ({
    name: `acknowledged on the ${on}: the exception travels in Metadata.guard.SuppressedRules`,
    build: (stack: Stack) => {
      const fn = l2(stack);
      const url = fn.addFunctionUrl({ cors: { allowedOrigins: ['*'] } });
      Validations.of(on === 'function' ? fn : url).acknowledge({ id: urlWildcardCors.id, reason: 'a public, read-only status page' });
      return { fn, check: allowsAll(stack, url) };
    },
    reported: false,
  })),
]);
