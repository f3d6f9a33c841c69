import { CfnResource } from 'aws-cdk-lib';
import { FUNCTION_LOG_RETENTION, fillActiveTracing } from '../cfn/function-settings';
import { addSourceAccount } from '../integrations/invoke-permissions';
import { FunctionView } from '../rules/function-view';
import { invokeNoSourceCondition } from '../rules/lambda/lambda-invoke-no-source-condition';
import { logGroup as logGroupRule } from '../rules/lambda/lambda-log-group';
import { tracing } from '../rules/lambda/lambda-tracing';

/** One change LambdaRulesAspect made in remediate mode. */
export interface Remediation {
  /** The rule the change satisfies. */
  readonly ruleId: string;
  /** The resource changed. */
  readonly resource: CfnResource;
  /** What was changed. */
  readonly change: string;
}


/**
 * What LambdaRulesAspect fixes in remediate mode: only settings that are absent, and
 * only in the narrowing direction. It never overwrites a value the user set and
 * never opens anything.
 * - tracing absent: Active (the role still needs xray:PutTraceSegments);
 * - the function's own log group without retention: one year;
 * - a service principal's permission without a source condition: the stack's
 *   account as aws:SourceAccount.
 */
export function remediate(view: FunctionView): Remediation[] {
  const done: Remediation[] = [];
  const fn = view.fn.resource;
  if (fillActiveTracing(fn, view.props.TracingConfig)) {
    done.push({ ruleId: tracing.id, resource: fn, change: 'TracingConfig.Mode set to Active (grant the role xray:PutTraceSegments and xray:PutTelemetryRecords)' });
  }
  const logGroup = view.logGroup;
  if (logGroup !== undefined && logGroup !== 'external' && logGroup.type === 'AWS::Logs::LogGroup' && logGroup.properties.RetentionInDays === undefined) {
    logGroup.resource.addPropertyOverride('RetentionInDays', FUNCTION_LOG_RETENTION);
    done.push({ ruleId: logGroupRule.id, resource: logGroup.resource, change: `RetentionInDays set to ${FUNCTION_LOG_RETENTION}` });
  }
  for (const permission of view.permissions) {
    const principal = addSourceAccount(permission.resource, permission.properties);
    if (principal !== undefined) {
      done.push({ ruleId: invokeNoSourceCondition.id, resource: permission.resource, change: `SourceAccount set to the stack's account for ${principal}` });
    }
  }
  return done;
}
