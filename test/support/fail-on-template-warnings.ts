// Loaded before every test file (jest setupFilesAfterEnv).
//
// aws-cdk-lib 2.276 validates every synthesized template against the
// CloudFormation schema and, without the validateAgainstDefaultRules flag,
// only prints what it finds. A template CloudFormation would refuse must fail
// the test that synthesized it, not scroll past in the log.
const printError = console.error.bind(console);

console.error = (...args: unknown[]): void => {
  const text = args.map(String).join(' ');
  if (text.includes('Template validation found issues')) {
    throw new Error(`CloudFormation schema validation found issues during synthesis:\n${text}`);
  }
  printError(...args);
};
