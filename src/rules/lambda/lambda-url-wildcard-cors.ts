import { isIntrinsic, isLiteral } from '../../cfn/references';
import { LambdaRule, RuleSeverity, RuleViolation } from '../rule';

/** No function URL lets every web origin call it from a browser. */
export const urlWildcardCors: LambdaRule = {
  id: 'lambda-url-wildcard-cors',
  title: 'Function URL CORS does not allow all origins (no \'*\' in AllowOrigins)',
  severity: RuleSeverity.BLOCK,
  why: 'A wildcard origin lets scripts on any website call the function from a visitor\'s browser and read the responses, exposing data and actions to cross-site abuse.',
  fix: 'List the exact origins in cors.allowedOrigins of fn.addFunctionUrl (for example [\'https://app.example.com\']), or in Cors.AllowOrigins of a CfnUrl; never \'*\' or a wildcard pattern.',
  controls: {
    nist80053: ['AC-4', 'CM-7'],
    pciDss: ['2.2'],
    controlTower: ['CT.LAMBDA.PR.6'],
  },
  check(view) {
    const urls = view.urls;
    if (urls.length === 0) {
      return 'NOT_APPLICABLE';
    }
    const violations: RuleViolation[] = [];
    let unresolved = false;
    for (const url of urls) {
      const cors = url.properties.Cors;
      const origins = cors?.AllowOrigins;
      if (origins === undefined && !isIntrinsic(cors)) {
        continue; // no CORS: browsers on other origins cannot read responses
      }
      if (!Array.isArray(origins)) {
        unresolved = true; // Cors or the whole list from a parameter or intrinsic
        continue;
      }
      for (const origin of origins) {
        if (!isLiteral(origin)) {
          unresolved = true;
        } else if (typeof origin === 'string' && origin.includes('*')) {
          violations.push({ resource: url.resource, problem: `function URL ${url.logicalId} allows CORS origin '${origin}'` });
        }
      }
    }
    return violations.length > 0 ? violations : unresolved ? 'UNRESOLVED' : 'COMPLIANT';
  },
};
