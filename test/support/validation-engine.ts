// Loaded before every test file (jest setupFilesAfterEnv).
//
// aws-cdk-lib validates every synthesized template against the CloudFormation
// schema with a WASM engine, CloudFormationValidatePlugin's singleton. Jest
// loads aws-cdk-lib afresh for each test file, so each file built its own
// engine (a second or two, and memory that is never given back) and rebuilt it
// whenever a template brought a resource type it had not loaded. Here the files
// of one jest worker share one engine: CDK's default validation and the
// conformance suite use it alike, and its rules grow with the types it meets,
// as CDK's own singleton's do (the verdict on a template does not depend on the
// rules loaded for types the template does not have).
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';

interface WorkerShared {
  /** Built by the worker's environment (test/support/worker-environment.js) on first use. */
  readonly validationEngine: CloudFormationValidatePlugin;
}

const shared = (globalThis as { __workerShared?: WorkerShared }).__workerShared;
/** CDK's accessor of its default engine (a private static of aws-cdk-lib 2.276; test/harness pins it). */
type WithSingleton = { _singletonInstance(): CloudFormationValidatePlugin };

if (shared) {
  (CloudFormationValidatePlugin as unknown as WithSingleton)._singletonInstance = () => shared.validationEngine;
}

/** The engine CDK validates every template with in this worker. */
export function validationEngine(): CloudFormationValidatePlugin {
  return (CloudFormationValidatePlugin as unknown as WithSingleton)._singletonInstance();
}
