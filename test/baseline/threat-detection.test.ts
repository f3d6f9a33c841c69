import { App, CfnElement, CfnParameter, CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { LambdaRulesAspect, LambdaThreatDetection, LambdaThreatDetectionProps } from '../../src';
import { buildAuditReport } from '../../src/report/audit-data';
import { conformanceFindings, Finding } from '../support/conformance';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const INSPECTOR_WARNING = 'cdk-secure-function:inspector-skips-encrypted-functions';

function newStack(env?: { account: string; region: string }): Stack {
  return new Stack(new App(), 'Test', { env });
}

function detectionIn(stack: Stack, props: LambdaThreatDetectionProps): LambdaThreatDetection {
  return new LambdaThreatDetection(stack, 'Detection', props);
}

/** The one resource of `type`, its properties with the SDK calls (JSON strings) parsed. */
function customResource(stack: Stack, type: string): { properties: Record<string, any>; dependsOn: string[] } {
  const found = Object.values(Template.fromStack(stack).findResources(type));
  expect(found).toHaveLength(1);
  const { Properties: raw, DependsOn: dependsOn = [] } = found[0] as { Properties: Record<string, any>; DependsOn?: string[] };
  const properties = { ...raw };
  for (const call of ['Create', 'Update', 'Delete']) {
    if (typeof raw[call] === 'string') {
      properties[call] = JSON.parse(raw[call]);
    }
  }
  return { properties, dependsOn };
}

/** The statements of the inline policy an AwsCustomResource under `id` grants its call through. */
function policyStatements(stack: Stack, id: string): unknown[] {
  const policy = stack.node.findChild('Detection').node.findChild(id).node.findChild('CustomResourcePolicy').node.defaultChild as CfnElement;
  const resource = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(policy)];
  expect(resource.Type).toBe('AWS::IAM::Policy');
  return resource.Properties.PolicyDocument.Statement;
}

const inspectorCall = (action: string, resourceTypes: string[]) => ({
  service: 'Inspector2',
  action,
  parameters: { resourceTypes },
  physicalResourceId: { id: `inspector2-${resourceTypes.join('-').toLowerCase()}` },
  logApiResponseData: false,
});

describe('LambdaThreatDetection: GuardDuty Lambda Protection', () => {
  test('creates an enabled detector whose features are exactly Lambda Protection', () => {
    const stack = newStack();
    const detection = detectionIn(stack, { guardDutyLambdaProtection: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      Features: [{ Name: 'LAMBDA_NETWORK_LOGS', Status: 'ENABLED' }],
      DataSources: Match.absent(),
    });
    expect(detection.detector).toBe(stack.node.findChild('Detection').node.findChild('Detector'));
  });

  test('turns Lambda Protection on in an existing detector at deploy time and off when it leaves the stack, creating none', () => {
    const stack = newStack(ENV);
    const existing = guardduty.CfnDetector.fromDetectorId(stack, 'Existing', '12abc34d567e8fa901bc2d34e56789f0');
    const detection = detectionIn(stack, { guardDutyLambdaProtection: true, guardDutyDetector: existing });
    Template.fromStack(stack).resourceCountIs('AWS::GuardDuty::Detector', 0);
    const update = (status: string) => ({
      service: 'GuardDuty',
      action: 'updateDetector',
      parameters: { DetectorId: '12abc34d567e8fa901bc2d34e56789f0', Features: [{ Name: 'LAMBDA_NETWORK_LOGS', Status: status }] },
      physicalResourceId: { id: '12abc34d567e8fa901bc2d34e56789f0' },
      logApiResponseData: false,
    });
    const { properties } = customResource(stack, 'Custom::GuardDutyLambdaProtection');
    expect(properties.Create).toEqual(update('ENABLED'));
    expect(properties.Update).toEqual(update('ENABLED'));
    expect(properties.Delete).toEqual(update('DISABLED'));
    expect(policyStatements(stack, 'LambdaProtection')).toEqual([{
      Action: 'guardduty:UpdateDetector',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0']] },
    }]);
    expect(detection.detector).toBe(existing);
  });

  test('takes a detector of the same stack by reference, in a stack of no particular environment', () => {
    const stack = newStack();
    const theirs = new guardduty.CfnDetector(stack, 'Theirs', { enable: true });
    detectionIn(stack, { guardDutyLambdaProtection: true, guardDutyDetector: theirs });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.hasResourceProperties('Custom::GuardDutyLambdaProtection', {
      Create: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^Theirs$') }])] },
    });
  });

  test('refuses a detector of another region, naming the prop', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: ENV });
    const elsewhere = guardduty.CfnDetector.fromDetectorId(new Stack(app, 'Other', { env: { ...ENV, region: 'us-east-1' } }), 'Existing', 'abc');
    expect(() => detectionIn(stack, { guardDutyLambdaProtection: true, guardDutyDetector: elsewhere }))
      .toThrow(/'guardDutyDetector' must be in the stack's region .*got a detector in 'us-east-1' for a stack in 'eu-west-1'\. Fix:/);
  });

  test('a detector without Lambda Protection turned on is refused, naming both props', () => {
    const stack = newStack();
    expect(() => detectionIn(stack, { unusedAccessAnalyzer: true, guardDutyDetector: guardduty.CfnDetector.fromDetectorId(stack, 'Existing', 'abc') }))
      .toThrow(/'guardDutyDetector' applies only with 'guardDutyLambdaProtection: true'.*Fix: set guardDutyLambdaProtection: true/);
  });
});

describe('LambdaThreatDetection: Amazon Inspector', () => {
  test('standard scanning is turned on with inspector2:Enable for LAMBDA and off with inspector2:Disable', () => {
    const stack = newStack();
    detectionIn(stack, { inspectorLambdaScanning: true });
    const { properties } = customResource(stack, 'Custom::InspectorLambdaScanning');
    expect(properties.Create).toEqual(inspectorCall('enable', ['LAMBDA']));
    expect(properties.Update).toEqual(inspectorCall('enable', ['LAMBDA']));
    expect(properties.Delete).toEqual(inspectorCall('disable', ['LAMBDA']));
    Template.fromStack(stack).resourceCountIs('Custom::InspectorLambdaCodeScanning', 0);
  });

  test('the scanning call may enable and disable Inspector and create only its service-linked role', () => {
    const stack = newStack();
    detectionIn(stack, { inspectorLambdaScanning: true });
    expect(policyStatements(stack, 'InspectorLambdaScanning')).toEqual([
      { Action: ['inspector2:Enable', 'inspector2:Disable'], Effect: 'Allow', Resource: '*' },
      {
        Action: 'iam:CreateServiceLinkedRole',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
        Effect: 'Allow',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2']],
        },
      },
    ]);
  });

  test('code scanning is enabled in the same call, and turned off by a resource of its own that only disables LAMBDA_CODE', () => {
    const stack = newStack();
    detectionIn(stack, { inspectorLambdaScanning: true, inspectorLambdaCodeScanning: true });
    const standard = customResource(stack, 'Custom::InspectorLambdaScanning');
    expect(standard.properties.Create).toEqual(inspectorCall('enable', ['LAMBDA', 'LAMBDA_CODE']));
    expect(standard.properties.Delete).toEqual(inspectorCall('disable', ['LAMBDA']));
    const code = customResource(stack, 'Custom::InspectorLambdaCodeScanning');
    expect(code.properties.Create).toBeUndefined();
    expect(code.properties.Update).toBeUndefined();
    expect(code.properties.Delete).toEqual(inspectorCall('disable', ['LAMBDA_CODE']));
    // Deleted before standard scanning, whose call it follows.
    expect(code.dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DetectionInspectorLambdaScanning[A-F0-9]{8}$/)]));
    expect(policyStatements(stack, 'InspectorLambdaCodeScanning')).toEqual([{ Action: 'inspector2:Disable', Effect: 'Allow', Resource: '*' }]);
  });

  test('code scanning without standard scanning is refused, naming both props', () => {
    expect(() => detectionIn(newStack(), { inspectorLambdaCodeScanning: true, unusedAccessAnalyzer: true }))
      .toThrow(/'inspectorLambdaCodeScanning' applies only with 'inspectorLambdaScanning: true', got inspectorLambdaCodeScanning without inspectorLambdaScanning\. Fix:/);
  });

  test('the provider logs to a log group encrypted with the stack key and kept a year, and logs no call data', () => {
    const stack = newStack();
    detectionIn(stack, { inspectorLambdaScanning: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecureFunctionBaselineKey'), 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^DetectionProviderLogs') } },
    });
  });

  test('warns that functions encrypted with a customer-managed key are not scanned', () => {
    const stack = newStack();
    detectionIn(stack, { inspectorLambdaScanning: true });
    Annotations.fromStack(stack).hasWarning('/Test/Detection', Match.stringLikeRegexp('does not scan Lambda functions encrypted with a customer-managed key'));
  });

  test('the provider function is CDK\'s: the guard does not judge it and the audit report lists it as CDK\'s', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    detectionIn(stack, { inspectorLambdaScanning: true, inspectorLambdaCodeScanning: true });
    const aspect = LambdaRulesAspect.applyTo(app);
    app.synth();
    expect(aspect.findings).toEqual([]);
    const report = buildAuditReport(app);
    expect(report.functions.map((f) => [f.kind, f.provider])).toEqual([['cdk-provider', 'runs an SDK call for AwsCustomResource']]);
  });
});

describe('LambdaThreatDetection: IAM Access Analyzer unused access', () => {
  test('creates an account unused-access analyzer reporting access unused for 90 days', () => {
    const stack = newStack();
    detectionIn(stack, { unusedAccessAnalyzer: true });
    Template.fromStack(stack).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ACCOUNT_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } },
    });
  });

  test.each([1, 30, 365])('takes an unused access age of %d day(s)', (days) => {
    const stack = newStack();
    detectionIn(stack, { unusedAccessAnalyzer: true, unusedAccessAge: Duration.days(days) });
    Template.fromStack(stack).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: days } },
    });
  });

  test.each([
    [Duration.days(0), '0 days'],
    [Duration.days(366), '366 days'],
    [Duration.hours(36), '1 day 12 hours'],
  ])('refuses an unused access age of %s, naming the prop, the range and the fix', (age, shown) => {
    expect(() => detectionIn(newStack(), { unusedAccessAnalyzer: true, unusedAccessAge: age }))
      .toThrow(new RegExp(`'unusedAccessAge' must be whole days from 1 to 365 .*, got ${shown}\\. Fix: pass Duration\\.days\\(n\\)`));
  });

  test('passes an unused access age from a parameter through unchecked', () => {
    const stack = newStack();
    const days = new CfnParameter(stack, 'UnusedAccessDays', { type: 'Number', default: 90 });
    detectionIn(stack, { unusedAccessAnalyzer: true, unusedAccessAge: Duration.days(days.valueAsNumber) });
    Template.fromStack(stack).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: { Ref: 'UnusedAccessDays' } } },
    });
  });

  test('an unused access age without the analyzer is refused', () => {
    expect(() => detectionIn(newStack(), { guardDutyLambdaProtection: true, unusedAccessAge: Duration.days(30) }))
      .toThrow(/'unusedAccessAge' applies only with 'unusedAccessAnalyzer: true'/);
  });
});

describe('LambdaThreatDetection: opt-ins', () => {
  test.each<[string, LambdaThreatDetectionProps, Record<string, number>]>([
    ['GuardDuty alone', { guardDutyLambdaProtection: true },
      { 'AWS::GuardDuty::Detector': 1, 'AWS::AccessAnalyzer::Analyzer': 0, 'Custom::InspectorLambdaScanning': 0, 'AWS::Lambda::Function': 0, 'AWS::KMS::Key': 0 }],
    ['Inspector alone', { inspectorLambdaScanning: true },
      { 'AWS::GuardDuty::Detector': 0, 'AWS::AccessAnalyzer::Analyzer': 0, 'Custom::InspectorLambdaScanning': 1, 'AWS::Lambda::Function': 1, 'AWS::KMS::Key': 1 }],
    ['the analyzer alone', { unusedAccessAnalyzer: true },
      { 'AWS::GuardDuty::Detector': 0, 'AWS::AccessAnalyzer::Analyzer': 1, 'Custom::InspectorLambdaScanning': 0, 'AWS::Lambda::Function': 0, 'AWS::KMS::Key': 0 }],
  ])('%s creates only what it names', (_name, props, counts) => {
    const stack = newStack();
    detectionIn(stack, props);
    const template = Template.fromStack(stack);
    for (const [type, count] of Object.entries(counts)) {
      template.resourceCountIs(type, count);
    }
    template.resourceCountIs('Custom::GuardDutyLambdaProtection', 0);
    template.resourceCountIs('Custom::InspectorLambdaCodeScanning', 0);
  });

  test('no opt-in and no reason is refused, naming the props and the fix', () => {
    expect(() => detectionIn(newStack(), {}))
      .toThrow(/the props must turn on a detection or say why the organisation runs it, got none of guardDutyLambdaProtection, inspectorLambdaScanning, unusedAccessAnalyzer\. Fix: .*managedCentrally/);
  });

  test('a second one in the stack is refused', () => {
    const stack = newStack();
    detectionIn(stack, { unusedAccessAnalyzer: true });
    expect(() => new LambdaThreatDetection(stack, 'Again', { guardDutyLambdaProtection: true }))
      .toThrow(/the stack may hold one LambdaThreatDetection/);
  });
});

describe('LambdaThreatDetection: detection managed centrally', () => {
  const reason = 'GuardDuty, Inspector and Access Analyzer run for every account from the security account (delegated administrator).';

  test('creates nothing and records the reason where the audit report lists it', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const detection = detectionIn(stack, { managedCentrally: reason });
    expect(detection.node.findAll().filter(CfnResource.isCfnResource)).toEqual([]);
    expect(detection.detector).toBeUndefined();
    const entries = detection.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(entries.map((m) => m.data)).toEqual([{ [LambdaThreatDetection.MANAGED_CENTRALLY]: reason }]);
    expect(buildAuditReport(app).suiteAcknowledgments).toEqual([{ rule: LambdaThreatDetection.MANAGED_CENTRALLY, at: 'Test/Detection', reason }]);
  });

  test('an empty reason is refused', () => {
    expect(() => detectionIn(newStack(), { managedCentrally: '  ' })).toThrow(/'managedCentrally' must say why detection is the organisation's, got ' {2}'\. Fix:/);
  });

  test('a reason with an opt-in is refused, naming the opt-in', () => {
    expect(() => detectionIn(newStack(), { managedCentrally: reason, inspectorLambdaScanning: true }))
      .toThrow(/'managedCentrally' cannot be combined with an opt-in .*got managedCentrally with inspectorLambdaScanning\. Fix:/);
  });
});

describe('LambdaThreatDetection: conformance', () => {
  function describeFindings(findings: Finding[]): string[] {
    return findings.map((f) => `${f.suite}: ${f.rule} at ${f.path}`);
  }

  test('with every opt-in, its acknowledgments leave zero findings under every suite', () => {
    const findings = conformanceFindings({ recommendedFlags: true }, (stack) => {
      const detection = new LambdaThreatDetection(stack, 'Detection', {
        guardDutyLambdaProtection: true,
        inspectorLambdaScanning: true,
        inspectorLambdaCodeScanning: true,
        unusedAccessAnalyzer: true,
      });
      Validations.of(detection).acknowledge({ id: INSPECTOR_WARNING, reason: 'The functions are scanned in CI before they are signed.' });
    });
    expect(describeFindings(findings)).toEqual([]);
  });

  test('on an existing detector, in a stack with an account and region, zero findings under every suite', () => {
    const findings = conformanceFindings({ recommendedFlags: false, env: ENV }, (stack) => {
      new LambdaThreatDetection(stack, 'Detection', {
        guardDutyLambdaProtection: true,
        guardDutyDetector: guardduty.CfnDetector.fromDetectorId(stack, 'Existing', '12abc34d567e8fa901bc2d34e56789f0'),
      });
    });
    expect(describeFindings(findings)).toEqual([]);
  });
});
