import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';

/** The independent scanners of the conformance suite (scripts/scanners/requirements.txt pins them). */
export type ScannerName = 'cfn-lint' | 'checkov';

const ROOT = path.join(__dirname, '..', '..');
const PYTHON = path.join(ROOT, '.scanners', 'venv', 'bin', 'python');
const SERVER = path.join(ROOT, 'scripts', 'scanners', 'scan_server.py');

export interface ScanResult {
  readonly failed: Array<{ rule: string; logicalId: string; message: string }>;
  readonly skipped: Array<{ rule: string; logicalId: string; reason: string }>;
  /** How many checks passed (checkov; cfn-lint reports no passes). */
  readonly passed: number | null;
  readonly error?: string;
}

/** A check a scanner skipped through its own mechanism, with the reason the template gives. */
export interface ScannerSkip {
  readonly scanner: ScannerName;
  readonly rule: string;
  readonly logicalId: string;
  readonly reason: string;
}

/** Every skip the scanners reported in this worker, for the closing figures. */
export const SCANNER_SKIPS: ScannerSkip[] = [];

/** What one scanner said of one template. */
export interface ScannerRun {
  readonly scanner: ScannerName;
  readonly template: string;
  readonly failed: number;
  readonly skipped: number;
  readonly passed: number | null;
}

/** Every scan of this worker, in order, for per-scenario figures. */
export const SCANNER_RUNS: ScannerRun[] = [];

let server: { process: ChildProcess; port: number } | undefined;

/**
 * The scanner server of this jest worker, started on first use: cfn-lint and
 * checkov are imported once (eight seconds) and each template then takes
 * about a second. The server stops with the worker.
 */
function scannerPort(): number {
  if (server) {
    return server.port;
  }
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`The scanners are not installed: run 'bash scripts/scanners/setup.sh' (npm test does it first). Looked for ${PYTHON}.`);
  }
  const portFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scanners-')), 'port');
  // No stdio shared with the worker (a pipe held open would keep a caller waiting); the server
  // also stops by itself once this worker is gone.
  const child = spawn(PYTHON, [SERVER, portFile, String(process.pid)], { stdio: 'ignore' });
  process.once('exit', () => child.kill());
  const deadline = Date.now() + 120_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(portFile) || fs.readFileSync(portFile, 'utf8') === '') {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`The scanner server did not start (exit code ${child.exitCode}).`);
    }
    Atomics.wait(pause, 0, 0, 100);
  }
  child.unref();
  server = { process: child, port: Number(fs.readFileSync(portFile, 'utf8')) };
  return server.port;
}

/** cfn-lint through its own lint_file (its rules loaded for this one template): the reference the harness test compares with. */
export function lintByReference(template: string, region = 'us-east-1'): ScanResult {
  return scan('cfn-lint-reference', template, region);
}

/** What one scanner finds in one template, as the plugin asks it. */
export function scanTemplate(scanner: ScannerName, template: string, region = 'us-east-1'): ScanResult {
  return scan(scanner, template, region);
}

function scan(scanner: ScannerName | 'cfn-lint-reference', template: string, region: string): ScanResult {
  const request = JSON.stringify({ scanner, template, regions: [region] });
  const answer = execFileSync('curl', ['-s', '-X', 'POST', '--data-binary', request, `http://127.0.0.1:${scannerPort()}/`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(answer) as ScanResult;
  if (result.error) {
    throw new Error(`${scanner} failed on ${template}: ${result.error}`);
  }
  return result;
}

/**
 * cfn-lint or checkov as a policy-validation plugin, so that its findings are
 * reported with the other suites' from the same synthesized templates. Each
 * failed check is a violation of the resource; checks the template skips
 * through the scanner's own mechanism are recorded in SCANNER_SKIPS.
 */
export class ScannerPlugin implements IPolicyValidationPlugin {
  public readonly name: string;

  /**
   * @param scanner which scanner
   * @param region the stack's region, for cfn-lint's region-specific checks
   */
  constructor(private readonly scanner: ScannerName, private readonly region = 'us-east-1') {
    this.name = scanner;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations = new Map<string, PolicyViolation & { violatingResources: any[] }>();
    for (const templatePath of context.templatePaths) {
      const result = scan(this.scanner, templatePath, this.region);
      SCANNER_RUNS.push({
        scanner: this.scanner, template: templatePath, failed: result.failed.length, skipped: result.skipped.length, passed: result.passed,
      });
      for (const skip of result.skipped) {
        SCANNER_SKIPS.push({ scanner: this.scanner, ...skip });
      }
      for (const finding of result.failed) {
        const violation = violations.get(finding.rule) ?? { ruleName: finding.rule, description: finding.message, violatingResources: [] };
        violation.violatingResources.push({ resourceLogicalId: finding.logicalId, templatePath, locations: [finding.logicalId] });
        violations.set(finding.rule, violation);
      }
    }
    return { success: violations.size === 0, violations: [...violations.values()] };
  }
}
