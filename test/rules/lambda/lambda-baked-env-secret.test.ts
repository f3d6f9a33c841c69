import { CfnParameter, Fn, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bakedEnvSecret } from '../../../src/rules/lambda/lambda-baked-env-secret';
import { microvmImage, webRevision } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

// Shaped like a Stripe live key, built at run time so that no scanner takes this file for a leak.
const STRIPE = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc'].join('_');

ruleTable(bakedEnvSecret, [
  {
    name: 'compliant: a revision whose variables hold names and ARNs, an image with plain settings',
    build: (stack) => {
      microvmImage(stack, 'Image', { environmentVariables: [{ key: 'LOG_LEVEL', value: 'INFO' }, { key: 'DB_PASSWORD_ARN', value: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db' }] });
      return {
        fn: webRevision(stack, 'Revision', {}, { environmentVariables: { TABLE: 'orders', API_KEY_PARAMETER: '/orders/api-key' } }),
        check: 'COMPLIANT',
      };
    },
  },
  {
    name: 'non-compliant: a password by name in a revision, on the revision',
    build: (stack) => ({
      fn: webRevision(stack, 'Revision', {}, { environmentVariables: { DB_PASSWORD: 'hunter2-but-longer' } }),
      check: [{ on: 'Revision', problem: /^variable DB_PASSWORD holds a literal secret/ }],
    }),
    guardPointsAt: () => ['Revision'],
  },
  {
    name: 'non-compliant: a Stripe key by shape in a MicroVM image, on the image',
    build: (stack) => ({
      fn: microvmImage(stack, 'Image', { environmentVariables: [{ key: 'PAYMENTS', value: STRIPE }] }),
      check: [{ on: 'Image', problem: /^variable PAYMENTS holds a literal secret/ }],
    }),
    guardPointsAt: () => ['Image'],
  },
  {
    name: 'non-compliant: an api key by name in an image',
    build: (stack) => ({
      fn: microvmImage(stack, 'Image', { environmentVariables: [{ key: 'apiKey', value: 'q8w7e6r5t4y3' }] }),
      check: [{ on: 'Image', problem: /^variable apiKey holds a literal secret/ }],
    }),
  },
  {
    name: 'non-compliant: the L2 WebFunction with a token in its environment',
    build: (stack) => {
      const web = new lambda.WebFunction(stack, 'Web', {
        code: lambda.WebFunctionCode.fromBucket(new s3.Bucket(stack, 'Code', { versioned: true }), 'web.zip'),
        runtime: lambda.WebFunctionRuntime.NODEJS_24_X,
        defaultEndpointAuth: lambda.WebFunctionAuthType.IAM_AUTH,
        environment: { SESSION_SECRET: 'correct-horse-battery-staple' },
      });
      const revision = web.node.findAll().find((c) => (c as lambda.CfnWebFunctionRevision).cfnResourceType === 'AWS::Lambda::WebFunctionRevision')!;
      return { fn: revision, check: [{ on: revision, problem: /^variable SESSION_SECRET holds a literal secret/ }] };
    },
  },
  {
    name: 'unresolved: a value from a parameter is not a literal secret',
    build: (stack) => ({
      fn: webRevision(stack, 'Revision', {}, { environmentVariables: { DB_PASSWORD: new CfnParameter(stack, 'Password', { noEcho: true }).valueAsString } }),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'unresolved: an image\'s variables from an intrinsic function',
    build: (stack) => {
      const image = microvmImage(stack, 'Image');
      image.addPropertyOverride('EnvironmentVariables', Fn.split(',', new CfnParameter(stack, 'Vars').valueAsString));
      return { fn: image, check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const image = microvmImage(stack, 'Image', { environmentVariables: [{ key: 'DEMO_TOKEN', value: 'demo-token-for-the-public-sandbox' }] });
      Validations.of(image).acknowledge({ id: bakedEnvSecret.id, reason: 'a public sandbox token, printed in the docs' });
      return { fn: image, check: [{ on: image, problem: /^variable DEMO_TOKEN holds a literal secret/ }] };
    },
    reported: false,
  },
]);
