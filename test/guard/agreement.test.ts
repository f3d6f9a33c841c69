import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureFunction } from '../../src';
import { CATALOG } from '../../src/rules/catalog';
import { handHardenedFunction } from '../support/aspect-fixtures';
import { minimalProps } from '../support/fixtures';
import { verdicts } from '../support/guard-harness';

function plainFunction(scope: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'), ...props });
}

describe('the Guard rules file and LambdaRulesAspect agree on whole apps', () => {
  test('SecureFunction apps pass both: defaults, secrets in a user VPC, opt-ins (the signer and CDK providers are acknowledged in metadata)', () => {
    const app = new App();
    const stack = new Stack(app, 'Secure');
    new SecureFunction(stack, 'Default', minimalProps());
    new SecureFunction(stack, 'Observed', minimalProps({ dashboard: true, recordInvocations: true }));
    const v = verdicts(app);
    expect(v.aspect.Secure).toEqual([]);
    expect(v.guard.Secure).toEqual([]);
    // The deploy-time signer's exceptions travel with the template.
    const signer = Object.entries<any>(v.templates.Secure.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.includes('CodeSigningSigner'))![1];
    expect(signer.Metadata.guard.SuppressedRules).toEqual(expect.arrayContaining(['lambda-alarms', 'lambda-code-signing', 'lambda-inside-vpc']));
  });

  test('a plain function hardened by hand passes both', () => {
    const app = new App();
    const stack = new Stack(app, 'Hardened');
    handHardenedFunction(stack, 'Fn');
    const v = verdicts(app);
    expect(v.guard.Hardened).toEqual(v.aspect.Hardened);
    expect(v.guard.Hardened.filter((id) => CATALOG.find((r) => r.id === id)!.severity === 'block')).toEqual([]);
  });

  test('an insecure plain function fails the same rules in both, in every stack and stage', () => {
    const app = new App();
    plainFunction(new Stack(app, 'Plain'), 'Fn');
    const stage = new Stage(app, 'Prod');
    const staged = new Stack(stage, 'Service');
    plainFunction(staged, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    const url = plainFunction(staged, 'Public');
    url.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    url.addPermission('Anyone', { principal: new iam.AnyPrincipal() });
    const v = verdicts(app);
    const ids = Object.keys(v.templates).sort();
    expect(ids).toEqual(['Plain', expect.stringMatching(/^ProdService/)]);
    for (const id of ids) {
      expect({ stack: id, rules: v.guard[id] }).toEqual({ stack: id, rules: v.aspect[id] });
    }
    expect(v.aspect.Plain).toEqual(expect.arrayContaining(['lambda-inside-vpc', 'lambda-tracing', 'lambda-dlq']));
    expect(v.aspect[ids[1]]).toEqual(expect.arrayContaining(['lambda-url-public', 'lambda-invoke-public']));
  });

  test('an acknowledgment on a scope reaches every resource under it, in the template', () => {
    const app = new App();
    const stack = new Stack(app, 'Acked');
    const fn = plainFunction(stack, 'Fn');
    Validations.of(stack).acknowledge({ id: 'lambda-inside-vpc', reason: 'a public API client, reviewed' });
    const v = verdicts(app);
    expect(v.aspect.Acked).not.toContain('lambda-inside-vpc');
    expect(v.guard.Acked).toEqual(v.aspect.Acked);
    const resource = v.templates.Acked.Resources[stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)];
    expect(resource.Metadata.guard.SuppressedRules).toEqual(['lambda-inside-vpc']);
  });
  test('a resource shared by two functions, acknowledged for one only, fails in both for the other', () => {
    const app = new App();
    const stack = new Stack(app, 'Shared');
    const config = new lambda.CfnCodeSigningConfig(stack, 'SharedConfig', {
      allowedPublishers: { signingProfileVersionArns: ['arn:aws:signer:us-east-1:111111111111:/signing-profiles/build/v1'] },
    });
    const acked = plainFunction(stack, 'Acked');
    const open = plainFunction(stack, 'Open');
    for (const fn of [acked, open]) {
      (fn.node.defaultChild as lambda.CfnFunction).codeSigningConfigArn = config.attrCodeSigningConfigArn;
    }
    Validations.of(acked).acknowledge({ id: 'lambda-code-signing', reason: 'a migration window, until 2027-01' });
    const v = verdicts(app);
    expect(v.aspect.Shared).toContain('lambda-code-signing');
    expect(v.guard.Shared).toEqual(v.aspect.Shared);
  });
});
