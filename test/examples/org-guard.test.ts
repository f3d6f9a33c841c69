import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { buildOrgGuardApp } from '../../examples/org-guard';

describe('examples/org-guard.ts', () => {
  test('the guard blocks the insecure sibling, naming each rule, the resource and the fix; the SecureFunction passes', () => {
    const { app, stack, guard } = buildOrgGuardApp();
    app.synth();
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^\\['));
    expect(errors.map((e) => `${e.id} ${String(e.entry.data).slice(0, String(e.entry.data).indexOf(']') + 1)}`).sort()).toEqual([
      '/Payments/QuickFix/Resource [lambda-code-signing]',
      '/Payments/QuickFix/Resource [lambda-dlq]',
      '/Payments/QuickFix/Resource [lambda-inside-vpc]',
      '/Payments/QuickFix/Resource [lambda-log-group]',
      '/Payments/QuickFix/Resource [lambda-reserved-concurrency]',
    ]);
    const vpc = errors.find((e) => String(e.entry.data).startsWith('[lambda-inside-vpc]'))!;
    expect(vpc.entry.data).toMatch(/^\[lambda-inside-vpc\] The function runs inside a VPC .*: no VpcConfig: the function runs outside any VPC\. Fix: Use SecureFunction/);
    // OrgDefaults filled in tracing: not among the failures.
    expect(guard.findings.map((f) => f.ruleId)).not.toContain('lambda-tracing');
    expect(guard.findings.filter((f) => f.resourcePath.startsWith('Payments/Settle'))).toEqual([]);
  });
});
