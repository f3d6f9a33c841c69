import { IConstruct } from 'constructs';

/**
 * CDK's own provider functions: their code and settings belong to CDK (a user
 * cannot put them in a VPC, sign them or give them a dead-letter queue), they
 * run only while CloudFormation deploys, and each has one narrow job. The guard
 * names them and does not judge them.
 */
const CDK_PROVIDERS: ReadonlyArray<{ readonly pattern: RegExp; readonly what: string }> = [
  { pattern: /^Custom::VpcRestrictDefaultSG/, what: 'closes the default security group of a VPC (ec2.Vpc restrictDefaultSecurityGroup)' },
  { pattern: /^Custom::S3AutoDeleteObjects/, what: 'empties a bucket before deletion (s3.Bucket autoDeleteObjects)' },
  { pattern: /^Custom::ECRAutoDeleteImages/, what: 'empties a repository before deletion (ecr.Repository emptyOnDelete)' },
  { pattern: /^Custom::CrossRegionExport(Reader|Writer)/, what: 'passes values between stacks of different regions (crossRegionReferences)' },
  { pattern: /^Custom::[A-Za-z0-9]+CustomResourceProvider$/, what: 'a CDK CustomResourceProvider (a handler CDK ships and configures)' },
  { pattern: /^LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a$/, what: 'sets log retention (the logRetention prop)' },
  { pattern: /^BucketNotificationsHandler050a0587b7544547bf325f094a3db834$/, what: 'configures S3 bucket notifications' },
  { pattern: /^AWS679f53fac002430cb0da5b7982bd2287$/, what: 'runs an SDK call for AwsCustomResource' },
  { pattern: /^framework-(onEvent|isComplete|onTimeout)$/, what: 'the custom-resources Provider framework' },
];

/** What a CDK provider function does, when `fn` is one (found by the construct ids CDK gives them). */
export function cdkProviderOf(fn: IConstruct): string | undefined {
  for (let current: IConstruct | undefined = fn; current; current = current.node.scope) {
    const match = CDK_PROVIDERS.find((p) => p.pattern.test(current!.node.id));
    if (match) {
      return match.what;
    }
  }
  return undefined;
}

/** The documented list, for docs/guard-and-rules.md. */
export function cdkProviderDescriptions(): string[] {
  return CDK_PROVIDERS.map((p) => p.what);
}
