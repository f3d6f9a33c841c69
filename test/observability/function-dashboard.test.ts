import { Template } from 'aws-cdk-lib/assertions';
import { SecureFunction } from '../../src';
import { minimalProps, newStack } from '../support/fixtures';

describe('the function dashboard', () => {
  test('is off by default', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps());
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(fn.dashboard).toBeUndefined();
  });

  test('shows invocations, errors, duration percentiles, throttles, concurrency, dead letters and the alarms', () => {
    const stack = newStack();
    new SecureFunction(stack, 'Fn', minimalProps({ dashboard: true }));
    const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(stack.resolve(Object.values(dashboards)[0].Properties.DashboardBody));
    for (const shown of ['Invocations', 'Errors', 'Duration', 'p50', 'p99', 'Throttles', 'ConcurrentExecutions', 'ApproximateNumberOfMessagesVisible']) {
      expect(body).toContain(shown);
    }
    expect(body).toContain('\\"type\\":\\"alarm\\"');
    expect(body.match(/FnAlarms[A-Za-z]+[0-9A-F]{8}/g)?.length).toBeGreaterThanOrEqual(5);
  });
});
