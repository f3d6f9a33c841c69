import * as fs from 'fs';
import * as path from 'path';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';

/**
 * Prints a short human summary of a cloud assembly (the output of `cdk synth`):
 * per stack, its resources by type and the security-relevant settings of each
 * Lambda function, plus the number of policy validation violations if any.
 *
 *   ts-node scripts/summarize-assembly.ts [cdk.out]
 */

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The assembly in `dir`; its stacks include those of nested assemblies (stages). */
function readAssembly(dir: string): CloudAssembly {
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`${dir} is not a cloud assembly: ${path.join(dir, 'manifest.json')} not found`);
  }
  return new CloudAssembly(dir);
}

/** A property value for display: literals as they are, intrinsics as short references. */
function show(value: unknown): string {
  if (value === undefined) {
    return '-';
  }
  if (isObject(value)) {
    const ref = value.Ref;
    const getAtt = asArray(value['Fn::GetAtt']);
    if (typeof ref === 'string') {
      return `Ref(${ref})`;
    }
    if (getAtt.length > 0) {
      return `GetAtt(${getAtt.join('.')})`;
    }
    return '(token)';
  }
  return String(value);
}

function describeFunction(id: string, properties: JsonObject): string {
  const tracing = isObject(properties.TracingConfig) ? properties.TracingConfig.Mode : undefined;
  const vpc = isObject(properties.VpcConfig) && asArray(properties.VpcConfig.SubnetIds).length > 0;
  const timeout = properties.Timeout;
  return [
    `    ${id}:`,
    `runtime=${show(properties.Runtime)}`,
    `memory=${properties.MemorySize === undefined ? 'default(128)' : show(properties.MemorySize)}`,
    `timeout=${timeout === undefined ? 'default(3s)' : `${show(timeout)}s`}`,
    `reserved=${properties.ReservedConcurrentExecutions === undefined ? 'none' : show(properties.ReservedConcurrentExecutions)}`,
    `vpc=${vpc ? 'yes' : 'no'}`,
    `tracing=${tracing === undefined ? 'off' : show(tracing)}`,
    `kmsKey=${properties.KmsKeyArn === undefined ? 'no' : 'yes'}`,
    `dlq=${properties.DeadLetterConfig === undefined ? 'no' : 'yes'}`,
    `codeSigning=${properties.CodeSigningConfigArn === undefined ? 'none' : 'config'}`,
    `code=${describeCode(properties.Code)}`,
  ].join(' ');
}

/** Where the function's code comes from: a signing step's output, an S3 object, inline, an image. */
function describeCode(code: unknown): string {
  if (!isObject(code)) {
    return '(none)';
  }
  if (code.ZipFile !== undefined) {
    return 'inline';
  }
  if (code.ImageUri !== undefined) {
    return 'image';
  }
  const key = show(code.S3Key);
  return key.startsWith('GetAtt(') ? `signed(${key})` : `s3(${key})`;
}

function summarizeTemplate(stack: CloudFormationStackArtifact): string[] {
  const template: unknown = stack.template;
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const byType = new Map<string, number>();
  const functions: string[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const type = isObject(resource) && typeof resource.Type === 'string' ? resource.Type : '(unknown)';
    byType.set(type, (byType.get(type) ?? 0) + 1);
    if (type === 'AWS::Lambda::Function' && isObject(resource)) {
      functions.push(describeFunction(id, isObject(resource.Properties) ? resource.Properties : {}));
    }
  }
  const total = Object.keys(resources).length;
  const types = [...byType.entries()].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(0, ...types.map(([type]) => type.length));
  return [
    `Stack ${stack.displayName} (${stack.templateFile}): ${total} resource${total === 1 ? '' : 's'}`,
    ...types.map(([type, count]) => `  ${type.padEnd(width)}  ${count}`),
    `  Lambda functions: ${functions.length}`,
    ...functions,
  ];
}

/** One line on the policy validation report, if synth wrote one. */
function summarizeValidation(dir: string): string[] {
  const file = path.join(dir, 'validation-report.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  const report = readJson(file);
  const plugins = asArray(isObject(report) ? report.pluginReports : undefined).filter(isObject);
  const perPlugin = plugins.map((plugin) => {
    const summary = isObject(plugin.summary) ? plugin.summary : {};
    const name = plugin.pluginName ?? summary.pluginName;
    return { name: typeof name === 'string' ? name : '(unnamed)', count: asArray(plugin.violations).length };
  });
  const total = perPlugin.reduce((sum, plugin) => sum + plugin.count, 0);
  const details = perPlugin.filter((plugin) => plugin.count > 0).map((plugin) => `${plugin.name}: ${plugin.count}`);
  return [`Validation report: ${total} violation${total === 1 ? '' : 's'}${details.length > 0 ? ` (${details.join(', ')})` : ''}`];
}

/** The audit report's summary (secure-function-audit.json), if synth wrote one. */
function summarizeAudit(dir: string): string[] {
  const file = path.join(dir, 'secure-function-audit.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  const report = readJson(file);
  if (!isObject(report) || !isObject(report.summary)) {
    return [];
  }
  const { functions, judged, failures, acknowledgments } = report.summary as Record<string, number>;
  const lines = [
    `Audit report (${file.replace(/\.json$/, '.md')}): ${functions} Lambda function${functions === 1 ? '' : 's'}, ${judged} judged against ${asArray(report.rules).length} rules, ${failures} failed control${failures === 1 ? '' : 's'}, ${acknowledgments} acknowledged exception${acknowledgments === 1 ? '' : 's'}`,
  ];
  for (const fn of asArray(report.functions).filter(isObject)) {
    const controls = asArray(fn.controls).filter(isObject);
    const count = (verdict: string) => controls.filter((c) => c.verdict === verdict).length;
    lines.push(fn.kind === 'cdk-provider'
      ? `  ${fn.path}: CDK provider, not judged`
      : `  ${fn.path}: ${count('PASS')} pass, ${count('FAIL')} fail, ${count('ACKNOWLEDGED')} acknowledged, ${count('NOT_APPLICABLE')} not applicable`);
    for (const control of controls.filter((c) => c.verdict === 'ACKNOWLEDGED')) {
      for (const ack of asArray(control.acknowledgments).filter(isObject)) {
        lines.push(`    ${control.ruleId} acknowledged: ${ack.reason}`);
      }
    }
  }
  return lines;
}

/** The summary of the cloud assembly in `dir`, as text. */
export function summarizeAssembly(dir: string): string {
  const templates = readAssembly(dir).stacksRecursively;
  const lines = [`Cloud assembly ${dir}: ${templates.length} stack${templates.length === 1 ? '' : 's'}`];
  for (const stack of templates) {
    lines.push(...summarizeTemplate(stack));
  }
  lines.push(...summarizeValidation(dir));
  lines.push(...summarizeAudit(dir));
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  try {
    process.stdout.write(summarizeAssembly(process.argv[2] ?? 'cdk.out'));
  } catch (e) {
    process.stderr.write(`summarize-assembly: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
