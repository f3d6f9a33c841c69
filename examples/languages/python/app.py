"""The README's usage example in Python, judged like the TypeScript examples.

usage.py is jsii-rosetta's Python translation of the README's Usage snippet,
written by `npx projen languages:translate` (CI fails when it is stale).
Importing it builds the app; this file registers the suites that run in the
app's own process, in Python (the five cdk-nag packs, the library's catalog
pack, CloudFormation schema validation), names them in language-app.json, and
synthesizes. scripts/languages/run-app.sh gives the output folder and the
context (CDK_OUTDIR, CDK_CONTEXT_JSON) as the CDK CLI would.
"""
import json
import os

from aws_cdk import CloudFormationValidatePlugin, Validations
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks
from cdk_secure_function import SecureFunctionChecks

from usage import app

suites = [
    AwsSolutionsChecks(app),
    HIPAASecurityChecks(app),
    NIST80053R5Checks(app),
    PCIDSS321Checks(app),
    ServerlessChecks(app),
    SecureFunctionChecks(app),
    CloudFormationValidatePlugin(),
]
Validations.of(app).add_plugins(*suites)
with open(os.path.join(app.outdir, "language-app.json"), "w", encoding="utf-8") as out:
    json.dump({"language": "python", "suites": [suite.name for suite in suites]}, out)
app.synth()
