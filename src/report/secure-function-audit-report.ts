import * as fs from 'fs';
import * as path from 'path';
import { App, attachCustomSynthesis, ISynthesisSession, Stack, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { buildAuditReport, WrittenTemplate } from './audit-data';
import { renderAuditMarkdown } from './audit-markdown';
import { whenAspectsStart } from '../aspects/stack-aspects';

const REPORT_ID = 'SecureFunctionAuditReport';
const WRITER_ID = 'SecureFunctionAuditReportWriter';

/**
 * The audit report of an app, written into the cloud assembly at every synthesis
 * (`cdk.out/secure-function-audit.json` and `.md`): every Lambda function of the
 * app (every stack, nested stack and Stage), the verdict of each catalog rule on
 * it, each acknowledged exception with where and why it was made, and each rule's
 * compliance mapping (NIST 800-53, PCI DSS, HIPAA, Control Tower, Security Hub),
 * so that an auditor can read what was enforced without reading code.
 *
 * SecureFunction adds it to its app; `SecureFunctionAuditReport.of(app)` adds it
 * to an app without one. It judges on its own: it does not need
 * LambdaRulesAspect, and it never fails synthesis.
 */
export class SecureFunctionAuditReport extends Construct {
  /** The JSON report's file name in the cloud assembly. */
  public static readonly JSON_FILE = 'secure-function-audit.json';
  /** The Markdown report's file name in the cloud assembly. */
  public static readonly MARKDOWN_FILE = 'secure-function-audit.md';

  /**
   * The report of the app `scope` belongs to, added on first use. Returns
   * undefined when the root of the tree is not an App (nothing is synthesized
   * into an assembly then).
   *
   * @param scope any construct of the app
   */
  public static of(scope: IConstruct): SecureFunctionAuditReport | undefined {
    const root = scope.node.root;
    if (!App.isApp(root)) {
      return undefined;
    }
    return (root.node.tryFindChild(REPORT_ID) as SecureFunctionAuditReport | undefined) ?? new SecureFunctionAuditReport(root, REPORT_ID);
  }

  private constructor(scope: App, id: string) {
    super(scope, id);
    // The report is written after every stack's template: CDK writes the app's
    // children in order, so the writer is added as the last one, once the
    // app's code has run (when aspects start). It then reads the templates
    // instead of resolving every resource a second time.
    whenAspectsStart(scope, () => {
      if (!scope.node.tryFindChild(WRITER_ID)) {
        attachCustomSynthesis(new Construct(scope, WRITER_ID), { onSynthesize: (session) => writeReport(scope, session, writtenTemplates) });
      }
    });
    // Without the writer (the report was added while aspects ran, too late for
    // its own), it is written here, resolving every stack: templates of stacks
    // after this one are not written yet, and older ones may still be on disk.
    attachCustomSynthesis(this, {
      onSynthesize: (session) => {
        if (!scope.node.tryFindChild(WRITER_ID)) {
          writeReport(scope, session);
        }
      },
    });
  }
}

function writeReport(app: App, session: ISynthesisSession, written?: WrittenTemplate): void {
  const report = buildAuditReport(app, written);
  fs.writeFileSync(path.join(session.outdir, SecureFunctionAuditReport.JSON_FILE), JSON.stringify(report, undefined, 2));
  fs.writeFileSync(path.join(session.outdir, SecureFunctionAuditReport.MARKDOWN_FILE), renderAuditMarkdown(report));
}

/**
 * The template of a stack as written into its assembly (stages are written before
 * the app, nested stacks before their parent), or undefined when there is none:
 * the report then resolves the stack itself.
 */
const writtenTemplates: WrittenTemplate = (stack: Stack) => {
  const file = path.join(Stage.of(stack)!.outdir, stack.templateFile);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};
