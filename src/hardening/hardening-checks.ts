// Everything hardening an existing lambda.Function checks, in one pass over the
// function and what surrounds it, before anything changes: a refusal leaves the
// function exactly as it was. What the pass learns is what the changes use.
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { existingCodeSource } from './existing-code';
import { checkExistingGrants } from './existing-grants';
import { ExistingParts, prepareExistingParts } from './existing-parts';
import { checkPlacement, Placement } from './existing-placement';
import { checkGradualDeployment } from './hardening-kit';
import { HardeningOptions } from './hardening-options';
import { checkLogRetention, LAMBDA_DEFAULT_TIMEOUT_SECONDS } from './sizing';
import { checkAliasName } from '../cfn/lambda-inputs';
import { checkRole } from '../iam/role-conversion';
import { checkForeignSourceQueue, isForeignSqsSource } from '../integrations/event-sources';
import { CodeSource, checkSigning } from '../signing/function-code';

/** What the checks found, for the changes that follow. */
export interface CheckedFunction {
  readonly label: string;
  readonly source: CodeSource;
  readonly existing: ExistingParts;
  readonly placement: Placement;
  /** What the app already wired to the function in its stack. */
  readonly wired: WiredToFunction;
}

/** What the app already wired to a function, anywhere in its stack. */
export interface WiredToFunction {
  readonly mappings: lambda.EventSourceMapping[];
  readonly permissions: lambda.CfnPermission[];
}

/**
 * Checks, in order: its code can be signed (signing choices, inline runtime,
 * pre-signed code's profile); what it brings that the hardening replaces or
 * adopts (log group, dead-letter queue or topic); its log retention; where it
 * runs (security groups, VPC); its role (the app's, its own, no inline
 * policies); every grant its role holds has a private path; a gradual
 * deployment has an alias; an SQS source of another stack is acknowledged.
 */
export function checkBeforeHardening(fn: lambda.Function, props: HardeningOptions): CheckedFunction {
  const label = `LambdaHardening ${fn.node.path}`;
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const source = existingCodeSource(cfn);
  checkSigning(fn, `${label}:`, source, props);
  const existing = prepareExistingParts(fn, label);
  checkLogRetention(fn, props.logRetention ?? existing.logRetention);
  const placement = checkPlacement(fn, label, props);
  checkRole(fn.role!, label);
  checkExistingGrants(fn, props);
  // The alias a gradual deployment shifts traffic on: the hardening's own, unless the function has aliases already.
  checkGradualDeployment(label, props, !fn.node.findAll().some((c) => c instanceof lambda.Alias));
  checkAliasName(`${label}:`, props.aliasName);
  const wired = wiredToFunction(fn);
  const timeout = Duration.seconds(cfn.timeout ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS);
  for (const mapping of wired.mappings.map((m) => m.node.defaultChild as lambda.CfnEventSourceMapping).filter(isForeignSqsSource)) {
    checkForeignSourceQueue(mapping.eventSourceArn!, timeout, `${label}: event source mapping ${mapping.node.path}`, fn);
  }
  return { label, source, existing, placement, wired };
}

/**
 * What the app already wired to the function, anywhere in its stack: event
 * source mappings (they get the failure handling of their source) and
 * permissions (service permissions without a source condition get the stack's
 * account).
 */
function wiredToFunction(fn: lambda.Function): WiredToFunction {
  const stack = Stack.of(fn);
  const names = new Set([fn.functionArn, fn.functionName].map((ref) => JSON.stringify(stack.resolve(ref))));
  const targets = (ref: unknown) => names.has(JSON.stringify(stack.resolve(ref)));
  const mappings: lambda.EventSourceMapping[] = [];
  const permissions: lambda.CfnPermission[] = [];
  for (const child of stack.node.findAll()) {
    if (child instanceof lambda.EventSourceMapping && targets((child.node.defaultChild as lambda.CfnEventSourceMapping).functionName)) {
      mappings.push(child);
    } else if (child instanceof lambda.CfnPermission && targets(child.functionName)) {
      permissions.push(child);
    }
  }
  return { mappings, permissions };
}
