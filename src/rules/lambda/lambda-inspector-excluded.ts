import { asArray, isIntrinsic } from '../../cfn/references';
import { LambdaRule, RuleSeverity } from '../rule';

/** The tags that take a function out of Amazon Inspector's scans: key, and the value Inspector reads. */
export const INSPECTOR_EXCLUSION_TAGS: Readonly<Record<string, string>> = Object.freeze({
  InspectorExclusion: 'LambdaStandardScanning',
  InspectorCodeExclusion: 'LambdaCodeScanning',
});

/** No tag silently takes the function out of Amazon Inspector's scans. */
export const inspectorExcluded: LambdaRule = {
  id: 'lambda-inspector-excluded',
  title: 'No tag takes the function out of Amazon Inspector\'s scans',
  severity: RuleSeverity.WARN,
  why: 'A tag InspectorExclusion=LambdaStandardScanning or InspectorCodeExclusion=LambdaCodeScanning stops Inspector scanning the function\'s dependencies or code: a known-vulnerable package or an injection flaw then raises no finding, and nothing in the account shows that the function is not scanned.',
  fix: 'Remove the tag; suppress a finding you accept in Inspector (a suppression rule) rather than the function\'s scanning, or acknowledge the exclusion with the reason: Validations.of(fn).acknowledge({ id: \'lambda-inspector-excluded\', reason }).',
  controls: {
    nist80053: ['RA-5', 'SI-2'],
    pciDss: ['6.1', '11.2'],
  },
  check(view) {
    const tags = view.props.Tags;
    if (isIntrinsic(tags)) {
      return 'UNRESOLVED';
    }
    const excluded = asArray<{ Key?: unknown; Value?: unknown }>(tags)
      .filter((tag) => typeof tag.Key === 'string' && INSPECTOR_EXCLUSION_TAGS[tag.Key] !== undefined && tag.Value === INSPECTOR_EXCLUSION_TAGS[tag.Key]);
    return excluded.length > 0
      ? [{ resource: view.fn.resource, problem: `tagged ${excluded.map((t) => `${t.Key}=${t.Value}`).join(' and ')}: Inspector does not scan it` }]
      : 'COMPLIANT';
  },
};
