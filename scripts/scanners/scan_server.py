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
"""
import json
import logging
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

logging.disable(logging.CRITICAL)

from cfnlint.api import ManualArgs, lint_file  # noqa: E402
from checkov.cloudformation.runner import Runner  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402


def logical_id(path):
    parts = [p for p in path if isinstance(p, str)]
    return parts[1] if len(parts) > 1 and parts[0] == 'Resources' else ''


def cfn_lint(template, regions):
    matches = lint_file(Path(template), config=ManualArgs(regions=regions))
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
            body = cfn_lint(request['template'], request.get('regions') or ['us-east-1']) if scanner == 'cfn-lint' else checkov(request['template'])
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
