import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';

/** The Control Tower proactive controls that ship with @cdklabs/cdk-validator-cfnguard, one Guard file each. */
export const CONTROL_TOWER_RULES = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');

const RESOURCE_TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

/** Each rule file and every resource type it names (its Type selectors, and its header's "Reports on"). */
let catalog: Array<{ readonly file: string; readonly types: ReadonlySet<string> }> | undefined;

function ruleFiles(): NonNullable<typeof catalog> {
  if (!catalog) {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.guard')) files.push(full);
      }
    };
    walk(CONTROL_TOWER_RULES);
    catalog = files.sort().map((file) => ({ file, types: new Set(fs.readFileSync(file, 'utf8').match(RESOURCE_TYPE) ?? []) }));
  }
  return catalog;
}

/**
 * The Control Tower rule files that can judge a template holding `types`: every
 * control selects the resources it judges by type (`Resources.*[ Type == ... ]`)
 * and skips a template without them, so a file naming none of the template's
 * types has nothing to say about it. A file that names no type at all is kept.
 */
export function controlTowerRulesFor(types: ReadonlySet<string>): string[] {
  return ruleFiles().filter((rule) => rule.types.size === 0 || [...rule.types].some((type) => types.has(type))).map((rule) => rule.file);
}

/** Every Control Tower rule file. */
export function allControlTowerRules(): string[] {
  return ruleFiles().map((rule) => rule.file);
}

/**
 * The Control Tower proactive controls as a validation plugin: CfnGuardValidator
 * (same name, so `cdk-validator-cfnguard::<rule>` acknowledgments apply), run
 * with the rule files that can apply to the templates' resource types rather
 * than all of them. cfn-guard spends its time loading each template once per
 * rule file, and a Lambda stack's twenty-odd types select about an eighth of
 * the controls; the others would report nothing (test/harness proves the
 * verdicts equal on the suites' own templates).
 */
export class ControlTowerPlugin implements IPolicyValidationPlugin {
  public readonly name = 'cdk-validator-cfnguard';
  public readonly version?: string = new CfnGuardValidator().version;

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const types = new Set<string>();
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(fs.readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, { Type?: string }> };
      for (const resource of Object.values(template.Resources ?? {})) {
        if (resource.Type) types.add(resource.Type);
      }
    }
    const rules = controlTowerRulesFor(types);
    if (rules.length === 0) {
      return { success: true, violations: [] };
    }
    return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate(context);
  }
}
