// The aspects an app adds: the catalog's enforcement, organisation defaults and
// the Guard suppressions (the former names of the first stay, deprecated).
export * from './lambda-rules-aspect';
export * from './secure-function-guard';
export * from './org-defaults';
export * from './guard-suppressions';
