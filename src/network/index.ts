export * from './isolated-network';
export * from './endpoint-registry';
export * from './prefix-list-lookup';
