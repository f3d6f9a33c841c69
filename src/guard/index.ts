export * from './secure-function-guard-hook';
