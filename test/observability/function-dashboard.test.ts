import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { SecureFunction } from '../../src';
import { minimalProps, newStack, testOwned } from '../support/fixtures';

/** The logical ids of the alarms the dashboard's alarm status widget shows. */
function alarmsShown(stack: Stack): string[] {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.stringify(stack.resolve(dashboard.Properties.DashboardBody));
  return [...new Set(body.match(/FnAlarms[A-Za-z]+[0-9A-F]{8}/g) ?? [])].sort();
}

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

  test('shows the alarms decided when the app synthesizes with the others', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', minimalProps({ dashboard: true }));
    fn.addEventSource(new sources.KinesisEventSource(new kinesis.Stream(testOwned(stack), 'Stream'), { startingPosition: lambda.StartingPosition.LATEST }));
    const alarms = Object.keys(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).sort();
    expect(alarms).toHaveLength(9);
    expect(alarmsShown(stack)).toEqual(alarms);
  });
});
