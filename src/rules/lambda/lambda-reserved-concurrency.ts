import { propertyRule } from '../property-rule';
import { RuleSeverity } from '../rule';

/** A concurrency reservation: a cap on what the function can take from the account. */
export const reservedConcurrency = propertyRule({
  id: 'lambda-reserved-concurrency',
  title: 'Reserved concurrency is set',
  severity: RuleSeverity.BLOCK,
  why: 'Without a reservation a traffic spike, an attack or runaway recursion can take the whole account\'s concurrency, throttling every other function, and run up cost without bound.',
  fix: 'Set reservedConcurrentExecutions (SecureFunction defaults to 5), or ReservedConcurrentExecutions on a CfnFunction; 0 is a deliberate stop switch and complies.',
  controls: {
    nist80053: ['SC-5', 'SC-6'],
  },
  detectedBy: ['LAMBDA_CONCURRENCY_CHECK'],
}, {
  scope: 'functions',
  notes: [
    'Any value complies: a literal number (0 is a deliberate stop switch), or one',
    'from a parameter or an intrinsic function (not judged).',
  ],
  // CloudFormation refuses a negative number; any literal number complies.
  passWhen: [{ kind: 'present', path: 'ReservedConcurrentExecutions' }],
  problem: () => 'no reserved concurrency: the function can use all of the account\'s unreserved concurrency',
});
