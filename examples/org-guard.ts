import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OrgDefaults, SecureFunction, LambdaRulesAspect } from 'cdk-secure-function';

/**
 * An organisation's app: a platform team's Aspects hold every Lambda function
 * to the catalog, not only SecureFunctions. Here a team added a plain
 * lambda.Function next to a SecureFunction: OrgDefaults fills in what it can
 * (tracing, log retention, tags), then LambdaRulesAspect blocks synthesis on
 * what only the team can fix, naming the rule, the resource and the fix.
 */
export function buildOrgGuardApp(app: App = new App()): { app: App; stack: Stack; guard: LambdaRulesAspect } {
  const stack = new Stack(app, 'Payments');
  const code = lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders'));
  new SecureFunction(stack, 'Settle', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code });
  // The insecure sibling: outside any VPC, no dead-letter queue, no reserved concurrency, unsigned.
  new lambda.Function(stack, 'QuickFix', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code });

  OrgDefaults.applyTo(app, { tracing: true, tags: { 'cost-center': 'payments' } });
  const guard = LambdaRulesAspect.applyTo(app);
  return { app, stack, guard };
}

if (require.main === module) {
  // Under `cdk synth` each violation is an error on its resource and the CLI stops;
  // run directly, the app prints what the developer sees and exits non-zero.
  const { app, guard } = buildOrgGuardApp();
  app.synth();
  const blocking = guard.findings.filter((f) => f.blocking);
  for (const finding of blocking) {
    console.error(`[Error at /${finding.resourcePath}] ${finding.message}`);
  }
  process.exitCode = blocking.length > 0 ? 1 : 0;
}
