import * as path from 'path';

/** The handler every benchmarked function deploys (one bundle, as a monorepo service often has). */
export const CODE_DIR = path.join(__dirname, '..', '..', 'examples', 'handlers', 'orders');

/**
 * The context `cdk synth` (aws-cdk 2.1148, default settings) passes to an app: path and
 * asset metadata, version reporting, bundling for every stack. Creation stack traces stay on,
 * as they do under the CLI.
 */
export const CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};
