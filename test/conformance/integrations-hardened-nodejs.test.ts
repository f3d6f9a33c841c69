// Every integration of test/support/integrations.ts with a NodejsFunction hardened by LambdaHardening, in an environment-agnostic stack:
// one file per function kind and environment, so that jest spreads them over its workers.
import { describeIntegrations } from '../support/integration-suite';

describeIntegrations('a NodejsFunction hardened by LambdaHardening', 'an environment-agnostic stack');
