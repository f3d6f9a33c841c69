import { resourcePropertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** A web function revision leaves through a network connector into a VPC. */
export const webRevisionEgress = resourcePropertyRule({
  id: 'lambda-web-revision-egress',
  title: 'Web function revisions reach the network through a VPC network connector',
  severity: RuleSeverity.BLOCK,
  why: 'Without an egress network connector a web function reaches the internet directly: no security group, route table or VPC endpoint limits where its code (or an attacker in it) sends data.',
  fix: 'Create a lambda.NetworkConnector (computeType WEB_FUNCTION) in private subnets and pass it as egressNetworkConnector to lambda.WebFunction, or set ServiceConfig.EgressNetworkConnectorArn on the revision.',
  controls: {
    nist80053: ['SC-7', 'AC-4'],
    pciDss: ['1.3'],
    controlTower: ['CT.LAMBDA.PR.6'],
    securityHub: ['Lambda.3'],
  },
}, 'AWS::Lambda::WebFunctionRevision', {
  notes: ['ServiceConfig.EgressNetworkConnectorArn set (a reference or a parameter counts); a ServiceConfig from an intrinsic function is not judged.'],
  passWhen: [
    { kind: 'intrinsic-object', path: 'ServiceConfig' },
    { kind: 'non-empty', path: 'ServiceConfig.EgressNetworkConnectorArn' },
  ],
  problem: () => 'the revision has no egress network connector: its code reaches the internet directly',
});
