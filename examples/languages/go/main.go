// The README's usage example in Go, judged like the TypeScript examples.
//
// usage() (usage.go) builds the app; main registers the suites that run in the
// app's own process, in Go (the five cdk-nag packs, the library's catalog pack,
// CloudFormation schema validation), names them in language-app.json, and
// synthesizes. scripts/languages/run-app.sh writes go.mod and gives the output
// folder and the context (CDK_OUTDIR, CDK_CONTEXT_JSON) as the CDK CLI would.
package main

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/cdklabs/cdk-nag-go/cdknag/v3"
	"github.com/securefunction/cdk-secure-function-go/cdksecurefunction"
)

func main() {
	app := usage()
	suites := []awscdk.IPolicyValidationPlugin{
		cdknag.NewAwsSolutionsChecks(app, nil),
		cdknag.NewHIPAASecurityChecks(app, nil),
		cdknag.NewNIST80053R5Checks(app, nil),
		cdknag.NewPCIDSS321Checks(app, nil),
		cdknag.NewServerlessChecks(app, nil),
		cdksecurefunction.NewSecureFunctionChecks(app, nil),
		awscdk.NewCloudFormationValidatePlugin(nil),
	}
	awscdk.Validations_Of(app).AddPlugins(suites...)
	names := make([]string, 0, len(suites))
	for _, suite := range suites {
		names = append(names, *suite.Name())
	}
	report, err := json.Marshal(map[string]any{"language": "go", "suites": names})
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(*app.Outdir(), "language-app.json"), report, 0o644); err != nil {
		panic(err)
	}
	app.Synth(nil)
}
