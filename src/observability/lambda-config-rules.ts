/**
 * An AWS Config managed rule the stack deploys for its functions.
 */
export interface LambdaConfigRuleSpec {
  /** The construct id of the rule (also the end of its name). */
  readonly id: string;
  /** The managed rule identifier. */
  readonly identifier: string;
  /** Parameters, matching what SecureFunction enforces. */
  readonly inputParameters?: { [key: string]: string };
  /**
   * Regions where AWS Config runs but does not offer this managed rule: creating
   * it there fails the deployment. From the rule's page of the AWS Config
   * Developer Guide ("AWS Region: All supported AWS regions except ..."); where
   * copies of a page of different dates disagree, the union, since a rule left
   * out only loses coverage while a rule that does not exist fails the stack.
   */
  readonly unavailableIn: string[];
  /** The page the regions come from. */
  readonly source: string;
}

const GUIDE = 'https://docs.aws.amazon.com/config/latest/developerguide';

/**
 * The regions where AWS Config runs (a configuration recorder can exist), from
 * the AWS Config region support page and endpoints table:
 * https://docs.aws.amazon.com/config/latest/developerguide/config-region-support.html
 * https://docs.aws.amazon.com/general/latest/gr/awsconfig.html
 * A region missing here (a new one) gets no rule: the stack still deploys.
 */
export const CONFIG_REGIONS: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1',
  'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2',
  'us-west-1', 'us-west-2', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
];

/**
 * The AWS Config managed rules for Lambda that SecureFunction deploys, with the
 * parameters that match what it enforces and the regions that lack them.
 * LAMBDA_FUNCTION_SETTINGS_CHECK is left out: it compares timeout and memory
 * with one expected value, and every function chooses its own.
 */
export const LAMBDA_CONFIG_RULES: LambdaConfigRuleSpec[] = [
  {
    id: 'PublicAccessProhibited',
    identifier: 'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED',
    unavailableIn: ['eu-south-2', 'cn-northwest-1'],
    source: `${GUIDE}/lambda-function-public-access-prohibited.html`,
  },
  {
    id: 'InsideVpc',
    identifier: 'LAMBDA_INSIDE_VPC',
    unavailableIn: ['cn-north-1', 'cn-northwest-1', 'ap-southeast-7', 'us-gov-east-1', 'us-gov-west-1', 'mx-central-1', 'ap-east-2'],
    source: `${GUIDE}/lambda-inside-vpc.html`,
  },
  {
    // SecureFunction always reserves at least one concurrent execution.
    id: 'ConcurrencyCheck',
    identifier: 'LAMBDA_CONCURRENCY_CHECK',
    inputParameters: { ConcurrencyLimitLow: '1' },
    unavailableIn: ['cn-north-1', 'cn-northwest-1', 'ap-southeast-7', 'us-gov-east-1', 'us-gov-west-1', 'mx-central-1', 'ap-east-2'],
    source: `${GUIDE}/lambda-concurrency-check.html`,
  },
  {
    id: 'DeadLetterQueueCheck',
    identifier: 'LAMBDA_DLQ_CHECK',
    unavailableIn: ['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1', 'ap-east-2'],
    source: `${GUIDE}/lambda-dlq-check.html`,
  },
  {
    id: 'VpcMultiAz',
    identifier: 'LAMBDA_VPC_MULTI_AZ_CHECK',
    unavailableIn: [
      'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'us-gov-east-1', 'us-gov-west-1', 'mx-central-1',
      'il-central-1', 'ap-east-2', 'ca-west-1', 'cn-northwest-1',
    ],
    source: `${GUIDE}/lambda-vpc-multi-az-check.html`,
  },
  {
    id: 'XRayEnabled',
    identifier: 'LAMBDA_FUNCTION_XRAY_ENABLED',
    unavailableIn: ['ap-southeast-6', 'ap-southeast-7', 'mx-central-1', 'ap-east-2', 'cn-northwest-1'],
    source: `${GUIDE}/lambda-function-xray-enabled.html`,
  },
];

/** The regions where `spec` can be created, in the order of CONFIG_REGIONS. */
export function regionsOffering(spec: LambdaConfigRuleSpec): string[] {
  return CONFIG_REGIONS.filter((region) => !spec.unavailableIn.includes(region));
}

/**
 * The tag that puts a function in the scope of the stack's AWS Config rules;
 * its value is the stack's name. Only functions the stack owner controls carry
 * it: CDK's providers and the library's own signer do not.
 */
export const CONFIG_SCOPE_TAG = 'cdk-secure-function:config-scope';

/**
 * Why a stack without Config rules is no finding of the catalog rule that asks for them.
 */
export const CONFIG_RULES_OFF =
  'AWS Config rules are an opt-in (SecurityBaseline configRules, default false): creating one fails in an account and region without a configuration recorder (NoAvailableConfigurationRecorderException). Turn them on with new SecurityBaseline(stack, id, { configRules: true }) where a recorder runs, or deploy LAMBDA_* rules from an AWS Organizations conformance pack.';
