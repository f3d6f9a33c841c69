// Every integration of test/support/integrations.ts with a SecureFunction, in an environment-agnostic stack:
// one file per function kind and environment, so that jest spreads them over its workers.
import { describeIntegrations } from '../support/integration-suite';

describeIntegrations('a SecureFunction', 'an environment-agnostic stack', 'int_agn');
