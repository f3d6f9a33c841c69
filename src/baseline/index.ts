export * from './security-baseline';
export * from './baseline-key';
export * from './threat-detection';
