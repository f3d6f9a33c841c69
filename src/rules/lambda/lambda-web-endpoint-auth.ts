import { resourcePropertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** A web function's endpoint authenticates its callers with IAM. */
export const webEndpointAuth = resourcePropertyRule({
  id: 'lambda-web-endpoint-auth',
  title: 'Web function endpoints authenticate callers with IAM (AuthType IamAuth)',
  severity: RuleSeverity.BLOCK,
  why: 'An endpoint with AuthType ApplicationManaged is public: anyone on the internet reaches the code, which must authenticate every request itself, and a bug in that check is an open door (as a function URL with AuthType NONE).',
  fix: 'Use lambda.WebFunctionAuthType.IAM_AUTH (defaultEndpointAuth, addEndpoint) and sign requests with SigV4, or put CloudFront with origin access control in front; where the code authenticates by design, acknowledge it with the reason: Validations.of(endpoint).acknowledge({ id: \'lambda-web-endpoint-auth\', reason }).',
  controls: {
    nist80053: ['AC-3', 'AC-17', 'IA-2'],
    pciDss: ['7.1', '8.1'],
    controlTower: ['CT.LAMBDA.PR.3'],
    securityHub: ['Lambda.1'],
  },
}, 'AWS::Lambda::WebFunctionEndpoint', {
  notes: ['AuthType IamAuth; an auth type from a parameter or an intrinsic function is not judged.'],
  passWhen: [
    { kind: 'equals', path: 'AuthType', value: 'IamAuth' },
    { kind: 'intrinsic', path: 'AuthType' },
  ],
  problem: (properties) => `endpoint ${JSON.stringify(properties.EndpointName ?? '')} has AuthType '${properties.AuthType}': anyone on the internet can call it`,
});
