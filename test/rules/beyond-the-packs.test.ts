import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureFunction } from '../../src';
import { conformanceFindings } from '../support/conformance';
import { minimalProps } from '../support/fixtures';


/**
 * A SecureFunction that passes every suite, then one weakness added below its
 * abstractions. cdk-nag's five packs, the Control Tower rules and CloudFormation
 * validation say nothing about each; the catalog names it.
 */
const WEAKNESSES: Array<[string, string, (stack: Stack) => void]> = [
  ['open egress (all TCP ports to 0.0.0.0/0)', 'lambda-unrestricted-egress', (stack) => {
    new SecureFunction(stack, 'Fn', minimalProps()).allowEgressTo(ec2.Peer.anyIpv4(), ec2.Port.allTcp(), 'everything');
  }],
  ['a literal secret in the environment', 'lambda-env-literal-secret', (stack) => {
    new SecureFunction(stack, 'Fn', minimalProps()).function.addEnvironment('DB_PASSWORD', 'hunter2hunter2');
  }],
  ['code signing that only warns', 'lambda-code-signing', (stack) => {
    new SecureFunction(stack, 'Fn', minimalProps({ untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.WARN }));
  }],
  ['an environment without a customer-managed key', 'lambda-env-cmk', (stack) => {
    const fn = new SecureFunction(stack, 'Fn', minimalProps({ environment: { STAGE: 'prod' } }));
    (fn.function.node.defaultChild as lambda.CfnFunction).addPropertyDeletionOverride('KmsKeyArn');
  }],
  ['an AWS managed administrator policy', 'lambda-role-managed-admin', (stack) => {
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    (fn.role!.node.defaultChild as iam.CfnRole).addPropertyOverride('ManagedPolicyArns', ['arn:aws:iam::aws:policy/AdministratorAccess']);
  }],
];

describe('what the catalog catches beyond cdk-nag\'s five packs and the Control Tower rules', () => {
  test.each(WEAKNESSES)('%s: the other suites find nothing, the catalog finds %s', (_name, ruleId, build) => {
    const findings = conformanceFindings({ recommendedFlags: true }, build);
    // The independent scanners may agree (checkov's CKV_AWS_173 flags an unencrypted environment).
    const others = findings.filter((f) => !['SecureFunction', 'Construct Annotations', 'cfn-lint', 'checkov'].includes(f.suite));
    expect(others).toEqual([]);
    expect(findings.filter((f) => f.suite === 'SecureFunction').map((f) => f.rule)).toEqual([`SecureFunction-${ruleId}`]);
  });
});
