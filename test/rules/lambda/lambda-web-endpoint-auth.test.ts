import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { webEndpointAuth } from '../../../src/rules/lambda/lambda-web-endpoint-auth';
import { ruleTable } from '../../support/rule-table';

/** An L1 endpoint of the web function 'web' with `authType`. */
const endpoint = (stack: import('aws-cdk-lib').Stack, authType: string) => new lambda.CfnWebFunctionEndpoint(stack, 'Endpoint', {
  authType, endpointName: 'prod', endpointType: 'HomeRegion', functionName: 'web',
});

ruleTable(webEndpointAuth, [
  {
    name: 'compliant: IamAuth',
    build: (stack) => ({ fn: endpoint(stack, 'IamAuth'), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: ApplicationManaged on an L1, on the endpoint',
    build: (stack) => ({ fn: endpoint(stack, 'ApplicationManaged'), check: [{ on: 'Endpoint', problem: 'endpoint "prod" has AuthType \'ApplicationManaged\': anyone on the internet can call it' }] }),
    guardPointsAt: () => ['Endpoint'],
  },
  {
    name: 'non-compliant: the L2 WebFunction\'s default endpoint, APPLICATION_MANAGED',
    build: (stack) => {
      const web = new lambda.WebFunction(stack, 'Web', {
        code: lambda.WebFunctionCode.fromBucket(new s3.Bucket(stack, 'Code', { versioned: true }), 'web.zip'),
        runtime: lambda.WebFunctionRuntime.NODEJS_24_X,
        defaultEndpointAuth: lambda.WebFunctionAuthType.APPLICATION_MANAGED,
      });
      const cfn = web.node.findAll().find((c) => (c as lambda.CfnWebFunctionEndpoint).cfnResourceType === 'AWS::Lambda::WebFunctionEndpoint')!;
      return { fn: cfn, check: [{ on: cfn, problem: /has AuthType 'ApplicationManaged'/ }] };
    },
  },
  {
    name: 'unresolved: an auth type from a parameter is not judged',
    build: (stack) => ({ fn: endpoint(stack, new CfnParameter(stack, 'Auth').valueAsString), check: 'UNRESOLVED' }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const e = endpoint(stack, 'ApplicationManaged');
      Validations.of(e).acknowledge({ id: webEndpointAuth.id, reason: 'the code verifies a signed session token on every request' });
      return { fn: e, check: [{ on: e, problem: /ApplicationManaged/ }] };
    },
    reported: false,
  },
]);
