import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * Lambda runtimes past the date on which AWS stops applying security patches
 * (the "deprecation date" of the Lambda runtime deprecation policy). A function
 * on one of them no longer gets patched, so SecureFunction refuses it.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated
 */
const DEPRECATED_ON: Record<string, string> = {
  'nodejs': '2016-10-31',
  'nodejs4.3': '2020-03-05',
  'nodejs6.10': '2019-08-12',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'python3.10': '2026-06-30',
  'java8': '2024-01-08',
  'java8.al2': '2026-06-30',
  'java11': '2026-06-30',
  'java17': '2026-06-30',
  'dotnet6': '2024-12-20',
  'dotnet8': '2026-11-10',
  'dotnetcore1.0': '2019-06-27',
  'dotnetcore2.0': '2019-05-30',
  'dotnetcore2.1': '2022-01-05',
  'dotnetcore3.1': '2023-04-03',
  'go1.x': '2024-01-08',
  'ruby2.5': '2021-07-30',
  'ruby2.7': '2023-12-07',
  'ruby3.2': '2026-03-31',
  'provided': '2024-01-08',
  'provided.al2': '2026-06-30',
};

/** The date on which `runtime` stopped receiving security patches, if it has. */
export function deprecationDate(runtime: lambda.Runtime, now: Date = new Date()): string | undefined {
  return deprecationDateOfName(runtime.name, now);
}

/** The date on which the runtime named `name` (`python3.8`) stopped receiving security patches, if it has. */
export function deprecationDateOfName(name: string, now: Date = new Date()): string | undefined {
  const date = Object.prototype.hasOwnProperty.call(DEPRECATED_ON, name) ? DEPRECATED_ON[name] : undefined;
  return date !== undefined && new Date(date) <= now ? date : undefined;
}

const FAMILY_VERSION = /^([a-z]+)(\d+(\.?\d+|\.x)?)?.*$/;

/** Runtime.ALL is fixed for a given aws-cdk-lib: sorting it (with a collator) once per family is enough. */
const NEWEST = new Map<string, string | undefined>();

/**
 * The newest runtime CDK knows in the same family, computed the way cdk-nag's
 * LambdaLatestVersion rule does (AwsSolutions-L1, Serverless-LambdaLatestVersion),
 * so that the construct and the packs never disagree.
 */
export function newestInFamily(runtime: lambda.Runtime): string | undefined {
  const match = runtime.name.match(FAMILY_VERSION);
  if (!match || match[1] === 'provided') {
    return undefined;
  }
  const family = match[1];
  if (!NEWEST.has(family)) {
    const versions = lambda.Runtime.ALL
      .map((rt) => rt.name)
      .filter((name) => name.indexOf(family) === 0)
      .map((name) => ({ name, version: name.match(FAMILY_VERSION)?.[2] ?? '0' }))
      .sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true, sensitivity: 'base' }));
    NEWEST.set(family, versions.pop()?.name);
  }
  return NEWEST.get(family);
}

