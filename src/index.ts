export * from './secure-function';
export * from './function/secure-function-props';
export * from './baseline/security-baseline';
export * from './baseline/isolated-network';
export * from './baseline/endpoint-registry';
export * from './baseline/baseline-key';
export * from './signing/code-signing-baseline';
export * from './signing/deploy-time-signer';
