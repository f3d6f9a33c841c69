export * from './monitoring-baseline';
export * from './invocation-trail';
export * from './function-alarm';
export * from './function-alarms';
export * from './function-dashboard';
