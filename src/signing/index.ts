export * from './code-signing-baseline';
export * from './deploy-time-signer';
