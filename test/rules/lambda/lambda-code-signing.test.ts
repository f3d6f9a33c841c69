import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { codeSigning } from '../../../src/rules/lambda/lambda-code-signing';
import { cfnFunction, configWith, signedFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc';
const WARNS = 'the code-signing config only warns (UntrustedArtifactOnDeployment \'Warn\'): unsigned code deploys anyway';

ruleTable(codeSigning, [
  {
    name: 'compliant: an L2 config with ENFORCE',
    build: (stack) => ({ fn: signedFunction(stack, 'Enforced', lambda.UntrustedArtifactOnDeployment.ENFORCE).fn, check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: an imported config (its policy cannot be read, presence is what is judged)',
    build: (stack) => ({
      fn: cfnFunction(stack, { codeSigningConfigArn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0' }, 'Fn'),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'compliant: a config from a parameter (presence is what is judged)',
    build: (stack) => ({
      fn: cfnFunction(stack, { codeSigningConfigArn: new CfnParameter(stack, 'Config').valueAsString }, 'Fn'),
      check: 'COMPLIANT',
    }),
  },
  {
    name: 'non-compliant: a bare CfnFunction has no code-signing config, reported on the function',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: [{ on: 'Fn', problem: 'no code-signing config' }] }),
    guardPointsAt: () => ['Fn'],
  },
  {
    name: 'non-compliant: an L2 config with the WARN default only warns, reported on the config, not the function',
    build: (stack) => {
      const { fn, config } = signedFunction(stack, 'Warned');
      return { fn, check: [{ on: config, problem: WARNS }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('WarnedConfig').node.defaultChild as lambda.CfnCodeSigningConfig).logicalId)],
  },
  {
    name: 'non-compliant: a config without CodeSigningPolicies defaults to Warn (referenced by Fn::GetAtt)',
    build: (stack) => {
      const config = configWith(stack, 'Bare');
      return {
        fn: cfnFunction(stack, { codeSigningConfigArn: config.attrCodeSigningConfigArn }, 'Fn'),
        check: [{
          on: config,
          problem: 'the code-signing config only warns (no CodeSigningPolicies, Lambda defaults to Warn): unsigned code deploys anyway',
        }],
      };
    },
  },
  {
    name: 'not applicable: a container image',
    build: (stack) => ({
      fn: cfnFunction(stack, { runtime: undefined, handler: undefined, packageType: 'Image', code: { imageUri: IMAGE } }, 'Fn'),
      check: 'NOT_APPLICABLE',
    }),
  },
  {
    name: 'unresolved: the policy of an in-stack config from a parameter is not judged',
    build: (stack) => {
      const config = configWith(stack, 'Param', { untrustedArtifactOnDeployment: new CfnParameter(stack, 'Policy').valueAsString });
      return { fn: cfnFunction(stack, { codeSigningConfigArn: config.attrCodeSigningConfigArn }, 'Fn'), check: 'UNRESOLVED' };
    },
  },
  {
    name: 'acknowledged on the function: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = cfnFunction(stack, {}, 'Fn');
      Validations.of(fn).acknowledge({ id: codeSigning.id, reason: 'signed by the deployment pipeline outside Lambda' });
      return { fn, check: [{ on: fn, problem: 'no code-signing config' }] };
    },
    reported: false,
  },
  {
    name: 'acknowledged on the config it reports',
    build: (stack) => {
      const { fn, config } = signedFunction(stack, 'Warned');
      Validations.of(config).acknowledge({ id: codeSigning.id, reason: 'warn-only while the signing profile rolls out' });
      return { fn, check: [{ on: config, problem: WARNS }] };
    },
    reported: false,
  },
]);
