import * as fs from 'fs';
import * as path from 'path';
import { App, attachCustomSynthesis, ISynthesisSession } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { buildAuditReport } from './audit-data';
import { renderAuditMarkdown } from './audit-markdown';

const REPORT_ID = 'SecureFunctionAuditReport';

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
 * SecureFunctionGuard, and it never fails synthesis.
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
    attachCustomSynthesis(this, {
      onSynthesize: (session: ISynthesisSession) => {
        const report = buildAuditReport(scope);
        fs.writeFileSync(path.join(session.outdir, SecureFunctionAuditReport.JSON_FILE), JSON.stringify(report, undefined, 2));
        fs.writeFileSync(path.join(session.outdir, SecureFunctionAuditReport.MARKDOWN_FILE), renderAuditMarkdown(report));
      },
    });
  }
}
