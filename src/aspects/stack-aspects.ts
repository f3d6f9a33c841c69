// Every aspect the library adds to an app on its own, in one place, with its
// priority (mutating aspects run before the ones that only judge or write):
//
// - on each stack that holds one of its functions (SecureFunction,
//   LambdaHardening, a SecurityBaseline part):
//   - GuardSuppressions (READONLY): acknowledged catalog rules into the
//     template, for the Guard rules file and hook;
//   - EventDelivery (MUTATING, on first use): failure handling of what
//     delivers events to its functions;
//   - FunctionWiringCheck (MUTATING, on first use, through `stackAspectOf`):
//     the alarms a function's event sources, destinations and recursive-loop
//     setting call for, decided once the stack is complete
//     (observability/function-wiring.ts);
// - on the app: the audit report's writer (READONLY);
// - on what a user asks to guard (`LambdaRulesAspect.applyTo`,
//   `OrgDefaults.applyTo`, `GuardSuppressions.applyTo`): the scope and each
//   Stage in it, since CDK synthesizes each Stage on its own; a Stage CDK
//   synthesized already (CDK Pipelines does when it is added) is synthesized
//   again when the app is (early-stages.ts).
//
// (A role's policy acknowledges the wildcards AWS requires with an aspect of
// its own, iam/required-wildcards.ts: it belongs to that one policy.)
import { App, AspectPriority, Aspects, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { reachEveryStage } from './early-stages';
import { EventDelivery } from '../integrations/event-delivery';

/**
 * Adds `aspect` to `scope` and to every Stage below it. CDK synthesizes nested
 * Stages before it invokes the Aspects of the app, and an app's Aspects never
 * reach the constructs of a Stage: each Stage needs its own registration. A
 * Stage made later gets it when the app synthesizes, and a Stage synthesized
 * without it is synthesized again then, so that the aspect runs on it.
 */
export function addToScopeAndStages(scope: IConstruct, aspect: IAspect, priority: number = AspectPriority.DEFAULT): void {
  Aspects.of(scope).add(aspect, { priority });
  for (const nested of scope.node.findAll()) {
    if (nested !== scope && Stage.isStage(nested)) {
      Aspects.of(nested).add(aspect, { priority });
    }
  }
  reachEveryStage(scope, aspect, priority);
}

const SUPPRESSIONS = Symbol.for('cdk-secure-function.GuardSuppressions');

/**
 * Adds the aspect that writes Guard suppressions to `scope` and every Stage in
 * it, once per scope (READONLY: it writes what the mutating aspects left).
 *
 * @returns whether it was added now
 */
export function addGuardSuppressions(scope: IConstruct, make: () => IAspect): boolean {
  const marked = scope as unknown as Record<symbol, boolean>;
  if (marked[SUPPRESSIONS]) {
    return false;
  }
  marked[SUPPRESSIONS] = true;
  addToScopeAndStages(scope, make(), AspectPriority.READONLY);
  return true;
}

const DELIVERY = new WeakMap<Stack, EventDelivery>();

/** The EventDelivery of the stack that holds `scope`, added to the stack (MUTATING) on first use. */
export function eventDeliveryOf(scope: IConstruct): EventDelivery {
  const stack = Stack.of(scope);
  let delivery = DELIVERY.get(stack);
  if (!delivery) {
    delivery = new EventDelivery(stack);
    DELIVERY.set(stack, delivery);
    Aspects.of(stack).add(delivery, { priority: AspectPriority.MUTATING });
  }
  return delivery;
}

const BY_STACK = new WeakMap<Stack, Map<string, IAspect>>();

/**
 * The aspect named `key` of the stack that holds `scope`: made by `make` and
 * added to the stack (MUTATING) the first time it is asked for, the same one
 * after. For a layer above this one, which cannot be named here.
 */
export function stackAspectOf<T extends IAspect>(scope: IConstruct, key: string, make: (stack: Stack) => T): T {
  const stack = Stack.of(scope);
  let aspects = BY_STACK.get(stack);
  if (!aspects) {
    aspects = new Map();
    BY_STACK.set(stack, aspects);
  }
  let aspect = aspects.get(key) as T | undefined;
  if (!aspect) {
    aspect = make(stack);
    aspects.set(key, aspect);
    Aspects.of(stack).add(aspect, { priority: AspectPriority.MUTATING });
  }
  return aspect;
}

/** Runs `start` on the app when its aspects start (READONLY), once the app's code has run. */
export function whenAspectsStart(app: App, start: () => void): void {
  Aspects.of(app).add({
    visit: (node) => {
      if (node === app) {
        start();
      }
    },
  }, { priority: AspectPriority.READONLY });
}
