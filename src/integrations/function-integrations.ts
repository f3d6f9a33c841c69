import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { Construct } from 'constructs';
import { hardenEventSourceMapping, newMappings, sourceKind } from './event-sources';
import { FunctionControls } from '../hardening/hardening-kit';

/**
 * What SecureFunction and a hardened function do when an integration is
 * added, written once for both: event sources bind with their grants taken as
 * Lambda's poller's, each mapping gets the failure handling of its source, and
 * asynchronous invocation fails into the dead-letter queue.
 */
export class FunctionIntegrations {
  constructor(private readonly controls: FunctionControls, private readonly owner: Construct) {}

  /**
   * Binds `source` to `target` (the function as the app holds it). What it
   * grants the role is for Lambda's poller, which runs outside the function's
   * VPC, so it opens no VPC endpoint; the AWS managed policy CDK's Kafka
   * sources attach is replaced by the cluster's exact permissions.
   */
  public addEventSource(target: lambda.IFunction, source: lambda.IEventSource): void {
    const before = new Set(target.node.findAll());
    this.controls.lambdaGrants.during(() => source.bind(target));
    for (const mapping of newMappings(target, before)) {
      const kind = sourceKind(mapping);
      if (kind === 'kafka' || kind === 'mq') {
        this.controls.lambdaGrants.grantPollerNetwork(mapping);
      }
    }
  }

  /** Sets the failure handling that matches the mapping's source (see `hardenEventSourceMapping`). */
  public hardenMapping(mapping: lambda.EventSourceMapping): void {
    const cfn = mapping.node.defaultChild as lambda.CfnEventSourceMapping;
    hardenEventSourceMapping(cfn, {
      deadLetterQueue: this.controls.deadLetterQueue, timeout: this.controls.function.timeout, owner: this.owner, label: this.controls.label,
    });
  }

  /**
   * Runs `configure` with `options` whose failures go to the dead-letter
   * queue unless they name another destination. Lambda delivers to
   * destinations itself, from outside the VPC: no endpoint for them.
   */
  public configureAsyncInvoke(options: lambda.EventInvokeConfigOptions, configure: (options: lambda.EventInvokeConfigOptions) => void): void {
    this.controls.lambdaGrants.during(() =>
      configure({ ...options, onFailure: options.onFailure ?? new destinations.SqsDestination(this.controls.deadLetterQueue) }));
  }
}
