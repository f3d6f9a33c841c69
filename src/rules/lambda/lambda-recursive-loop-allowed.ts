import { propertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** Lambda stops a recursive loop (RecursiveLoop is Terminate, the default). */
export const recursiveLoopAllowed = propertyRule({
  id: 'lambda-recursive-loop-allowed',
  title: 'Lambda stops recursive invocation loops (RecursiveLoop not Allow)',
  severity: RuleSeverity.WARN,
  why: 'A function that writes to the queue, topic or bucket that invokes it loops until someone notices; with RecursiveLoop Allow Lambda no longer stops it after 16 rounds, and the bill and the downstream load grow without bound.',
  fix: 'Leave recursiveLoop unset or lambda.RecursiveLoop.TERMINATE; where the loop is by design, keep Allow and acknowledge it with the reason: Validations.of(fn).acknowledge({ id: \'lambda-recursive-loop-allowed\', reason }).',
  controls: {
    nist80053: ['SC-5', 'SI-4'],
  },
}, {
  scope: 'functions',
  notes: ['Unset (Lambda terminates loops) or Terminate; a value from a parameter or an intrinsic function is not judged.'],
  passWhen: [
    { kind: 'absent', path: 'RecursiveLoop' },
    { kind: 'equals', path: 'RecursiveLoop', value: 'Terminate' },
    { kind: 'intrinsic', path: 'RecursiveLoop' },
  ],
  problem: (properties) => `RecursiveLoop is '${properties.RecursiveLoop}': Lambda lets a recursive loop run`,
});
