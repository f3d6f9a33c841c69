// The jest environment of every test file: node's, plus one object that the
// files a jest worker runs share (`globalThis.__workerShared`), for what is
// costly to build and the same for every file: the CloudFormation validation
// engine (test/support/validation-engine.ts). Everything else stays per file.
//
// The engine is built here, from the worker's own aws-cdk-lib (node's module
// cache, not a test file's): jest tears a file's modules down when the file
// ends, and an engine made by one file would fail to load what it needs later.
const { TestEnvironment } = require('jest-environment-node');

let engine;
const shared = {
  get validationEngine() {
    engine ??= new (require('aws-cdk-lib').CloudFormationValidatePlugin)();
    return engine;
  },
};

class WorkerEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__workerShared = shared;
  }
}

module.exports = WorkerEnvironment;
