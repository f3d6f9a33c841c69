import { Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { invalidInput, show } from '../cfn/errors';
import { codeSigning as codeSigningRule } from '../rules/lambda/lambda-code-signing';
import { cite } from '../rules/rule';

/**
 * The regions where AWS Signer does not sign for Lambda and CloudFormation has
 * neither `AWS::Signer::SigningProfile` nor `AWS::Lambda::CodeSigningConfig`,
 * each with the nearest regions that offer both. Read on 2026-12-07 from:
 * - the AWS Signer endpoints page, "Service endpoints supporting signing for AWS
 *   Lambda": https://docs.aws.amazon.com/general/latest/gr/signer.html
 *   (the same regions as botocore 1.35.99's `signer` endpoints, whose aws-cn
 *   endpoints offer no Lambda platform);
 * - the resource types per region of aws-cdk-lib 2.276's CloudFormation
 *   validator (@aws/cloudformation-validate 1.14.0, its "Resource type ... does
 *   not exist in" finding) and of cfn-lint 1.58.0's registry schemas (2026-10-20):
 *   both lack the two types in exactly these regions.
 * Every other region of the aws and aws-us-gov partitions offers both
 * (me-south-1 from the Signer page: neither validator has data for it).
 *
 * A region missing here (a new one) is taken to offer them: if it does not,
 * CloudFormation refuses the template before creating anything (Unrecognized
 * resource types). Either way no function deploys unsigned.
 */
export const CODE_SIGNING_UNAVAILABLE: { readonly [region: string]: readonly string[] } = {
  'ap-east-2': ['ap-east-1', 'ap-northeast-1'],
  'ap-northeast-3': ['ap-northeast-1', 'ap-northeast-2'],
  'ap-south-2': ['ap-south-1'],
  'ap-southeast-3': ['ap-southeast-1'],
  'ap-southeast-4': ['ap-southeast-2'],
  'ap-southeast-5': ['ap-southeast-1'],
  'ap-southeast-6': ['ap-southeast-2'],
  'ap-southeast-7': ['ap-southeast-1'],
  'ca-west-1': ['ca-central-1', 'us-west-2'],
  // No region of the aws-cn partition offers them.
  'cn-north-1': [],
  'cn-northwest-1': [],
  'eu-central-2': ['eu-central-1', 'eu-south-1'],
  'eu-south-2': ['eu-west-3', 'eu-south-1'],
  'il-central-1': ['me-south-1', 'eu-south-1'],
  'me-central-1': ['me-south-1'],
  'mx-central-1': ['us-east-2', 'us-west-1'],
};

/** The construct id (and logical id) of the stack's Rules assertion. */
export const CODE_SIGNING_REGION_RULE = 'SecureFunctionCodeSigningRegion';

/** The choice a .zip function has where code signing is not offered. */
const UNSIGNED_IMAGE = 'package the function as a container image (allowUnsignedContainerImage: true), pinned by digest and signed in your registry';

/** The choice of a stack whose container-image functions need signing only for the library's prefix-list lookup. */
export const NO_PREFIX_LIST_LOOKUP = 'if its functions are container images, which need it only for the prefix-list lookup of S3 and DynamoDB gateway endpoints, reach those through interface endpoints (SecurityBaseline interfaceEndpointsForS3AndDynamoDb: true)';

/**
 * Refuses .zip code in a stack whose region is known at synthesis and offers no
 * code signing. Builds nothing: an env-agnostic stack passes here, and
 * `requireCodeSigningRegion` adds its deploy-time assertion.
 *
 * @param where how the error names the construct, e.g. 'SecureFunction App/Fn:'
 * @param otherwise the choice besides another region, for the error's fix
 */
export function checkCodeSigningRegion(scope: Construct, where: string, otherwise: string = UNSIGNED_IMAGE): void {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region) || !Object.prototype.hasOwnProperty.call(CODE_SIGNING_UNAVAILABLE, region)) {
    return;
  }
  const nearest = CODE_SIGNING_UNAVAILABLE[region];
  const fix = nearest.length > 0
    ? `deploy the stack to a region that offers them (nearest: ${nearest.join(', ')}), or ${otherwise}`
    : `no region of this partition offers them: ${otherwise}`;
  throw invalidInput(
    `${where} the stack's region`,
    `must offer AWS Signer and Lambda code signing, which sign and check .zip code (${cite(codeSigningRule)}: only signed code deploys)`,
    `${show(region)}, which offers neither`,
    fix,
  );
}

/**
 * Where code signing is needed: an error at synthesis in a region known to lack
 * it (`checkCodeSigningRegion`); in an env-agnostic stack, a Rules assertion
 * (one per stack) that fails the deployment in such a region before any
 * resource is created. Skipping signing there instead would deploy unsigned code.
 */
export function requireCodeSigningRegion(scope: Construct, where: string, otherwise: string = UNSIGNED_IMAGE): void {
  checkCodeSigningRegion(scope, where, otherwise);
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region) || stack.node.tryFindChild(CODE_SIGNING_REGION_RULE)) {
    return;
  }
  const regions = Object.keys(CODE_SIGNING_UNAVAILABLE);
  new CfnRule(stack, CODE_SIGNING_REGION_RULE, {
    assertions: [{
      assert: Fn.conditionNot(Fn.conditionContains(regions, Aws.REGION)),
      assertDescription:
        `SecureFunction signs .zip code with AWS Signer and enforces it with a Lambda code-signing config (${cite(codeSigningRule)}), `
        + `which are not offered in ${regions.join(', ')}. Deploy this stack to a region that offers them, or use container images `
        + '(allowUnsignedContainerImage: true) and reach S3 and DynamoDB through interface endpoints (SecurityBaseline interfaceEndpointsForS3AndDynamoDb: true).',
    }],
  });
}
