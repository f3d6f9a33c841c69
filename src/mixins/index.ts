export * from './lambda-hardening';
