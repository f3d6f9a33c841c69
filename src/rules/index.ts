// The rule catalog as public API: the rules as data and the cdk-nag pack.
export * from './rule-info';
export * from './secure-function-rules';
export * from './secure-function-checks';
export * from './enforcement';
