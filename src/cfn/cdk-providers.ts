import { IConstruct } from 'constructs';

/**
 * CDK's own provider functions: their code and settings belong to CDK (a user
 * cannot put them in a VPC, sign them or give them a dead-letter queue), they
 * run only while CloudFormation deploys (or, for EvaluateExpression, inside a
 * state machine), and each has one narrow job. One rule everywhere: the guard
 * and the cdk-nag pack name them and do not judge them, LambdaHardening leaves
 * them alone, the audit report lists them as CDK's, and the Guard suppressions
 * let the rules file do the same.
 */
const CDK_PROVIDERS: ReadonlyArray<{ readonly pattern: RegExp; readonly parent?: string; readonly what: string }> = [
  { pattern: /^Custom::VpcRestrictDefaultSG/, what: 'closes the default security group of a VPC (ec2.Vpc restrictDefaultSecurityGroup)' },
  { pattern: /^Custom::S3AutoDeleteObjects/, what: 'empties a bucket before deletion (s3.Bucket autoDeleteObjects)' },
  { pattern: /^Custom::ECRAutoDeleteImages/, what: 'empties a repository before deletion (ecr.Repository emptyOnDelete)' },
  { pattern: /^Custom::CrossRegionExport(Reader|Writer)/, what: 'passes values between stacks of different regions (crossRegionReferences)' },
  { pattern: /^Custom::[A-Za-z0-9]+CustomResourceProvider$/, what: 'a CDK CustomResourceProvider (a handler CDK ships and configures)' },
  { pattern: /^LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a$/, what: 'sets log retention (the logRetention prop)' },
  { pattern: /^BucketNotificationsHandler050a0587b7544547bf325f094a3db834$/, what: 'configures S3 bucket notifications' },
  { pattern: /^AWS679f53fac002430cb0da5b7982bd2287$/, what: 'runs an SDK call for AwsCustomResource' },
  { pattern: /^framework-(onEvent|isComplete|onTimeout)$/, what: 'the custom-resources Provider framework' },
  { pattern: /^Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C/, what: 'copies files into a bucket (s3-deployment BucketDeployment)' },
  { pattern: /^Eval[0-9a-f]{32}$/, what: 'evaluates a Step Functions expression (stepfunctions-tasks EvaluateExpression, shared)' },
  {
    pattern: /^EvalFunction$/,
    parent: 'aws-cdk-lib.aws_stepfunctions_tasks.EvaluateExpression',
    what: 'evaluates a Step Functions expression (stepfunctions-tasks EvaluateExpression, its own function)',
  },
  { pattern: /^SingletonLambda224e77f9a32e4b4dac32983477abba16$/, what: 'drops spam in an SES receipt rule set (ses DropSpamReceiptRule)' },
];

/** What a CDK provider function does, when `fn` is one (found by the construct ids CDK gives them). */
export function cdkProviderOf(fn: IConstruct): string | undefined {
  for (let current: IConstruct | undefined = fn; current; current = current.node.scope) {
    const id = current.node.id;
    const parent = current.node.scope;
    const match = CDK_PROVIDERS.find((p) => p.pattern.test(id) && (p.parent === undefined || (parent !== undefined && jsiiFqn(parent) === p.parent)));
    if (match) {
      return match.what;
    }
  }
  return undefined;
}

/** The jsii name of a construct's class (CDK's classes carry it, whichever copy of aws-cdk-lib made them). */
function jsiiFqn(construct: IConstruct): string | undefined {
  const rtti = (construct.constructor as unknown as Record<symbol, { fqn?: string } | undefined>)[Symbol.for('jsii.rtti')];
  return rtti?.fqn;
}

/** The documented list, for docs/guard-and-rules.md. */
export function cdkProviderDescriptions(): string[] {
  return CDK_PROVIDERS.map((p) => p.what);
}
