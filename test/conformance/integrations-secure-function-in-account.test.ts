// Every integration of test/support/integrations.ts with a SecureFunction, in a stack of account 111111111111 in eu-west-1:
// one file per function kind and environment, so that jest spreads them over its workers.
import { describeIntegrations } from '../support/integration-suite';

describeIntegrations('a SecureFunction', 'a stack of account 111111111111 in eu-west-1');
