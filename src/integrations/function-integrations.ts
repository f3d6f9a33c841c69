import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkForeignSourceQueue, hardenEventSourceMapping, newMappings, sourceKind } from './event-sources';
import { LambdaServiceGrants } from './lambda-service-grants';

/**
 * What SecureFunction and a hardened function do when an integration is
 * added, written once for both: event sources bind with their grants taken as
 * Lambda's poller's, each mapping gets the failure handling of its source, and
 * asynchronous invocation fails into the dead-letter queue.
 */
/** What the integrations of one function work with (the hardening kit of the function). */
export interface IntegrationTarget {
  /** What the role is granted for Lambda's own use (pollers, destinations). */
  readonly lambdaGrants: LambdaServiceGrants;
  /** The function's dead-letter queue: the on-failure destination unless one is given. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The function's timeout, once the function exists. */
  readonly timeout: Duration;
  /** How errors name the function, e.g. 'SecureFunction App/Fn'. */
  readonly label: string;
}

export class FunctionIntegrations {
  constructor(private readonly target: IntegrationTarget, private readonly owner: Construct) {}

  /**
   * Binds `source` to `target` (the function as the app holds it). What it
   * grants the role is for Lambda's poller, which runs outside the function's
   * VPC, so it opens no VPC endpoint; the AWS managed policy CDK's Kafka
   * sources attach is replaced by the cluster's exact permissions.
   */
  public addEventSource(target: lambda.IFunction, source: lambda.IEventSource): void {
    // A queue of another stack or account is refused before the mapping exists, unless acknowledged.
    if (source instanceof sources.SqsEventSource && !(source.queue instanceof sqs.Queue && Stack.of(source.queue) === Stack.of(target))) {
      checkForeignSourceQueue(source.queue.queueArn, this.target.timeout, `${this.target.label}: SQS event source`, this.owner);
    }
    const before = new Set(target.node.findAll());
    this.target.lambdaGrants.during(() => source.bind(target));
    for (const mapping of newMappings(target, before)) {
      const kind = sourceKind(mapping);
      if (kind === 'kafka' || kind === 'mq') {
        this.target.lambdaGrants.grantPollerNetwork(mapping);
      }
    }
  }

  /** Sets the failure handling that matches the mapping's source (see `hardenEventSourceMapping`). */
  public hardenMapping(mapping: lambda.EventSourceMapping): void {
    const cfn = mapping.node.defaultChild as lambda.CfnEventSourceMapping;
    hardenEventSourceMapping(cfn, {
      deadLetterQueue: this.target.deadLetterQueue, timeout: this.target.timeout, owner: this.owner, label: this.target.label,
    });
  }

  /**
   * Runs `configure` with `options` whose failures go to the dead-letter
   * queue unless they name another destination. Lambda delivers to
   * destinations itself, from outside the VPC: no endpoint for them.
   */
  public configureAsyncInvoke(options: lambda.EventInvokeConfigOptions, configure: (options: lambda.EventInvokeConfigOptions) => void): void {
    this.target.lambdaGrants.during(() =>
      configure({ ...options, onFailure: options.onFailure ?? new destinations.SqsDestination(this.target.deadLetterQueue) }));
  }
}
