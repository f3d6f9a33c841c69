export * from './secure-function-audit-report';
