export * from './security-baseline';
export * from './baseline-key';
