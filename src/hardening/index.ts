export * from './hardening-options';
export * from './hardened-function';
export * from './gradual-deployment';
