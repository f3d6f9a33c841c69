// The README's Usage snippet in Go, ported by hand from jsii-rosetta's Go
// translation, which does not compile: it imports every submodule as the root
// package without /v2, leaves struct types unqualified and drops the nil
// options of constructors. scripts/languages/translate.ts keeps the Python and
// Java apps in step with the README; this port is checked by compiling and
// synthesizing it (test/languages/language-apps.test.ts).
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
	"github.com/securefunction/cdk-secure-function-go/cdksecurefunction"
)

func usage() awscdk.App {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Orders"), nil)
	// The database's secret, created and rotated where the database is managed.
	dbSecret := awssecretsmanager.Secret_FromSecretNameV2(stack, jsii.String("DbSecret"), jsii.String("orders/db"))

	fn := cdksecurefunction.NewSecureFunction(stack, jsii.String("Orders"), &cdksecurefunction.SecureFunctionProps{
		Runtime:                      awslambda.Runtime_NODEJS_24_X(),
		Handler:                      jsii.String("index.handler"),
		Code:                         awslambda.Code_FromAsset(jsii.String("dist/orders"), nil),
		ReservedConcurrentExecutions: jsii.Number(20),
		Secrets: &map[string]awssecretsmanager.ISecret{
			"DB_SECRET_ARN": dbSecret, // the ARN in the variable, a read grant, an endpoint
		},
	})
	fn.GrantInvoke(awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil)) // aws:SourceAccount added
	return app
}
