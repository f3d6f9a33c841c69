import { isLiteral } from '../../cfn/references';
import { LambdaRule, RuleSeverity } from '../rule';

/** A concurrency reservation: a cap on what the function can take from the account. */
export const reservedConcurrency: LambdaRule = {
  id: 'lambda-reserved-concurrency',
  title: 'Reserved concurrency is set',
  severity: RuleSeverity.BLOCK,
  why: 'Without a reservation a traffic spike, an attack or runaway recursion can take the whole account\'s concurrency, throttling every other function, and run up cost without bound.',
  fix: 'Set reservedConcurrentExecutions (SecureFunction defaults to 5), or ReservedConcurrentExecutions on a CfnFunction; 0 is a deliberate stop switch and complies.',
  controls: {
    nist80053: ['SC-5', 'SC-6'],
  },
  check(view) {
    const reserved = view.props.ReservedConcurrentExecutions;
    if (reserved === undefined) {
      return [{ resource: view.fn.resource, problem: 'no reserved concurrency: the function can use all of the account\'s unreserved concurrency' }];
    }
    // Any literal number complies: CloudFormation refuses a negative one, and 0 stops the function on purpose.
    return isLiteral(reserved) ? 'COMPLIANT' : 'UNRESOLVED';
  },
  guard: ({ name, functions, message }) => `
rule ${name} when %${functions} !empty {
    %${functions}.Properties {
        # Any value complies: a literal number (0 is a deliberate stop switch), or one
        # from a parameter or an intrinsic function (not judged).
        ReservedConcurrentExecutions exists
        ${message}
    }
}`,
};
