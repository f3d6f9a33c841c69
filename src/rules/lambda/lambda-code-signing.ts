import { isLiteral } from '../../cfn/references';
import { EXTERNAL } from '../function-view';
import { FUNCTION_CONFIGURATION_CALLS } from '../prevention';
import { LambdaRule, RuleSeverity } from '../rule';

/** Only signed code deploys: a code-signing config that enforces. */
export const codeSigning: LambdaRule = {
  id: 'lambda-code-signing',
  title: 'A .zip function has a code-signing config that enforces (UntrustedArtifactOnDeployment: Enforce)',
  severity: RuleSeverity.BLOCK,
  why: 'Without an enforcing config Lambda deploys any package, so code altered in the pipeline or in the staging bucket runs with the function\'s permissions; a config that only warns logs it and deploys it anyway.',
  fix: 'Use SecureFunction (it signs the asset and enforces), or set codeSigningConfig to a lambda.CodeSigningConfig with untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE (CodeSigningConfigArn and CodeSigningPolicies.UntrustedArtifactOnDeployment: Enforce on the L1s).',
  controls: {
    nist80053: ['SI-7', 'CM-14'],
  },
  prevention: [
    { sid: 'FunctionsWithCodeSigning', actions: ['lambda:CreateFunction'], key: 'lambda:CodeSigningConfigArn', deny: 'absent' },
    { sid: 'ApprovedCodeSigningConfigs', actions: ['lambda:CreateFunction', 'lambda:PutFunctionCodeSigningConfig'], key: 'lambda:CodeSigningConfigArn', deny: 'not-approved', approved: 'codeSigningConfigArns' },
    { sid: 'CodeSigningStays', actions: ['lambda:DeleteFunctionCodeSigningConfig'], deny: 'always' },
    { sid: 'LayersFromApprovedAccounts', actions: FUNCTION_CONFIGURATION_CALLS, key: 'lambda:Layer', deny: 'not-approved', approved: 'layerAccounts', multiValued: true },
  ],
  check(view) {
    if (view.isImage) {
      // Lambda code signing covers .zip packages only: an image is signed in its registry.
      return 'NOT_APPLICABLE';
    }
    const config = view.codeSigningConfig;
    if (config === undefined) {
      return [{ resource: view.fn.resource, problem: 'no code-signing config' }];
    }
    if (config === EXTERNAL) {
      // An imported config (or one from a parameter): the function has one, but its
      // policy cannot be read here. Presence is what can be judged, so it complies.
      return 'COMPLIANT';
    }
    const policy = config.properties.CodeSigningPolicies?.UntrustedArtifactOnDeployment;
    if (policy !== undefined && !isLiteral(policy)) {
      return 'UNRESOLVED';
    }
    if (policy === 'Enforce') {
      return 'COMPLIANT';
    }
    const setting = policy === undefined ? 'no CodeSigningPolicies, Lambda defaults to Warn' : `UntrustedArtifactOnDeployment '${policy}'`;
    return [{ resource: config.resource, problem: `the code-signing config only warns (${setting}): unsigned code deploys anyway` }];
  },
};
