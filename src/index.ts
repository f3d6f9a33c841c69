// Only what every jsii language sees: each folder's barrel exports its public
// types alone (test/index.test.ts holds the runtime exports to the assembly).
export * from './secure-function';
export * from './secure-function-props';
export * from './hardening';
export * from './mixins';
export * from './baseline';
export * from './network';
export * from './signing';
export * from './observability';
export * from './rules';
export * from './aspects';
export * from './guard';
export * from './guardrails';
export * from './report';
