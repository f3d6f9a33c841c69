// Organisation guardrails: service control policies generated from the rule catalog.
export * from './guardrail-options';
export * from './lambda-guardrails';
export * from './helper-function-names';
