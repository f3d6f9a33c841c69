import { CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createdProperties, functionLogGroup, setFunctionDeadLetterQueue, setFunctionLogGroup } from '../cfn/cdk-internals';
import { invalidInput } from '../cfn/errors';
import { deadLetter } from '../rules/lambda/lambda-dlq';
import { logGroup as logGroupRule } from '../rules/lambda/lambda-log-group';
import { cite } from '../rules/rule';

/** The id CDK gives the singleton function behind every LogRetention. */
const LOG_RETENTION_PROVIDER = 'LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a';

/** What an existing function brings that its hardening replaces. */
export interface ExistingParts {
  /** The retention its `logRetention` prop asked for, carried over. */
  readonly logRetention?: logs.RetentionDays;
  /** Its own log group of the stack (`logGroup`), which the hardening adopts. */
  readonly logGroup?: logs.LogGroup;
  /** Removes what the hardened parts replace (after every check passed). */
  remove(): void;
}

/**
 * Reads what lambda.Function made for the function that the hardened parts
 * replace, and refuses what the user gave that would be silently dropped:
 * - the log group CDK makes (`@aws-cdk/aws-lambda:useCdkManagedLogGroup`:
 *   unencrypted) and the LogRetention function of `logRetention` (its
 *   retention is carried over to the encrypted log group);
 * - the dead-letter queue of `deadLetterQueueEnabled`;
 * - a log group of the user's own: adopted when it is a logs.LogGroup of the
 *   function's stack (the hardening gives it the key and retention), refused
 *   otherwise (an imported one cannot be changed);
 * - a dead-letter queue or topic of the user's own: an error that says to drop it.
 */
export function prepareExistingParts(fn: lambda.Function, label: string): ExistingParts {
  const logGroup = functionLogGroup(fn);
  const cdkLogGroup = fn.node.tryFindChild('LogGroup');
  const logRetention = fn.node.tryFindChild('LogRetention');
  const own = logGroup !== undefined && logGroup !== cdkLogGroup ? logGroup : undefined;
  if (own && !(own instanceof logs.LogGroup && Stack.of(own) === Stack.of(fn))) {
    throw invalidInput(`${label}: 'logGroup'`,
      `is not a logs.LogGroup of the function's stack, so LambdaHardening cannot give it the key and retention the controls ask (${cite(logGroupRule)})`,
      own.node.path, 'create the log group in the function\'s stack with new logs.LogGroup(...), or drop logGroup and pass logRetention to LambdaHardening');
  }
  const cdkQueue = fn.node.tryFindChild('DeadLetterQueue');
  if ((fn.deadLetterQueue !== undefined && fn.deadLetterQueue !== cdkQueue) || fn.deadLetterTopic !== undefined) {
    throw invalidInput(`${label}: '${fn.deadLetterTopic !== undefined ? 'deadLetterTopic' : 'deadLetterQueue'}'`,
      `is given, and LambdaHardening gives the function its own encrypted, TLS-only dead-letter queue (${cite(deadLetter)})`,
      'a queue or topic of the app', 'drop it and use LambdaHardening.of(fn).deadLetterQueue');
  }
  let retention: logs.RetentionDays | undefined;
  if (logRetention) {
    const resource = logRetention.node.findAll().find(CfnResource.isCfnResource);
    const properties = resource ? createdProperties(resource) : undefined;
    const days = properties ? Stack.of(fn).resolve(properties).RetentionInDays : undefined;
    retention = typeof days === 'number' ? days : undefined;
  }
  return {
    logRetention: retention,
    logGroup: own as logs.LogGroup | undefined,
    remove: () => {
      for (const id of ['LogGroup', 'LogRetention', 'DeadLetterQueue']) {
        if (fn.node.tryFindChild(id) !== own) {
          fn.node.tryRemoveChild(id);
        }
      }
      if (!own) {
        setFunctionLogGroup(fn, undefined);
      }
      setFunctionDeadLetterQueue(fn, undefined);
      if (logRetention) {
        removeUnusedLogRetentionProvider(Stack.of(fn));
      }
    },
  };
}

/** CDK's LogRetention function, once no LogRetention of the stack uses it. */
function removeUnusedLogRetentionProvider(stack: Stack): void {
  const used = stack.node.findAll().some((c) => c instanceof logs.LogRetention);
  if (!used) {
    stack.node.tryRemoveChild(LOG_RETENTION_PROVIDER);
  }
}
