"""A scanner server for the tests: cfn-lint and checkov, imported once.

Started by test/support/scanners.ts, one per jest worker, with the worker's
process id: it stops when that process is gone. It listens on 127.0.0.1
(the port it chose is written to the file given as its first argument)
and answers POST / with {"scanner": "cfn-lint" | "checkov", "template": path,
"regions": [...]} by that scanner's findings on the template, as JSON:
{"failed": [{"rule", "logicalId", "message"}], "skipped": [{"rule", "logicalId", "reason"}],
"passed": n}, where n is how many checks passed (checkov; cfn-lint reports no passes).
cfn-lint's warnings count as findings as its errors do; what it was told to
ignore (Metadata cfn-lint config ignore_checks) it does not report.

Both run as their own command line would, with two costs paid once instead of
per template: cfn-lint's rules are loaded at start (lint_file builds its 339
rules, and reads their data files, for every template), and checkov evaluates
in this process (it would fork a pool of workers per template, on a machine
whose cores the tests already use). POST {"scanner": "cfn-lint-reference", ...}
answers through lint_file itself, for the test that holds the two equal.
"""
import json
import logging
import os
import sys

# checkov reads it when its parallel runner is created, at import.
os.environ.setdefault('CHECKOV_PARALLELIZATION_TYPE', 'none')
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

logging.disable(logging.CRITICAL)

from cfnlint.api import ManualArgs, lint_file  # noqa: E402
from cfnlint.config import ConfigMixIn  # noqa: E402
from cfnlint.decode.decode import decode_str  # noqa: E402
from cfnlint.runner import run_template_by_data  # noqa: E402
from cfnlint.runner.cli import Runner as LintRunner  # noqa: E402
from checkov.cloudformation.runner import Runner  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402


def logical_id(path):
    parts = [p for p in path if isinstance(p, str)]
    return parts[1] if len(parts) > 1 and parts[0] == 'Resources' else ''


_lint_rules = {}


def lint_rules(regions):
    """cfn-lint's rules for `regions`, loaded once (as lint_file loads them for every template)."""
    key = tuple(regions)
    if key not in _lint_rules:
        _lint_rules[key] = LintRunner(ConfigMixIn([], regions=list(regions))).rules
    return _lint_rules[key]


def lint_matches(template, regions, reference=False):
    if reference:
        return lint_file(Path(template), config=ManualArgs(regions=regions))
    data, errors = decode_str(Path(template).read_text(encoding='utf-8'))
    if errors:
        return errors
    return list(run_template_by_data(data, ConfigMixIn([], regions=regions), lint_rules(regions)))


def cfn_lint(template, regions, reference=False):
    matches = lint_matches(template, regions, reference)
    return {'failed': [{
        'rule': m.rule.id,
        'logicalId': logical_id(list(m.path.path if hasattr(m.path, 'path') else (m.path or []))),
        'message': f'{m.rule.severity}: {m.message}',
    } for m in matches], 'skipped': [], 'passed': None}


def checkov(template):
    report = Runner().run(root_folder=None, files=[template], runner_filter=RunnerFilter(framework=['cloudformation']))
    def resource_id(check):
        return check.resource.split('.', 1)[1] if '.' in check.resource else check.resource
    return {
        'failed': [{'rule': c.check_id, 'logicalId': resource_id(c), 'message': c.check_name} for c in report.failed_checks],
        'skipped': [{'rule': c.check_id, 'logicalId': resource_id(c), 'reason': (c.check_result or {}).get('suppress_comment', '')} for c in report.skipped_checks],
        'passed': len(report.passed_checks),
    }


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        try:
            scanner = request['scanner']
            regions = request.get('regions') or ['us-east-1']
            if scanner == 'cfn-lint':
                body = cfn_lint(request['template'], regions)
            elif scanner == 'cfn-lint-reference':
                body = cfn_lint(request['template'], regions, reference=True)
            else:
                body = checkov(request['template'])
            status = 200
        except Exception as error:  # reported to the test, which fails with it
            body, status = {'error': repr(error)}, 500
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def stop_with(parent):
    while True:
        try:
            os.kill(parent, 0)
        except OSError:
            os._exit(0)
        time.sleep(1)


if __name__ == '__main__':
    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    if len(sys.argv) > 2:
        threading.Thread(target=stop_with, args=(int(sys.argv[2]),), daemon=True).start()
    Path(sys.argv[1]).write_text(str(server.server_address[1]))
    server.serve_forever()
