// The jest environment of every test file: node's, plus one object that the
// files a jest worker runs share (`globalThis.__workerShared`), for what is
// costly to build and the same for every file: the CloudFormation validation
// engine (test/support/validation-engine.ts). Everything else stays per file.
const { TestEnvironment } = require('jest-environment-node');

const shared = {};

class WorkerEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__workerShared = shared;
  }
}

module.exports = WorkerEnvironment;
