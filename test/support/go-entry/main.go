// A Lambda handler without dependencies: it speaks the Lambda Runtime API
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) with net/http.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	base := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
	for {
		next, err := http.Get(base + "next")
		if err != nil {
			fmt.Fprintln(os.Stderr, "next invocation:", err)
			os.Exit(1)
		}
		event, err := io.ReadAll(next.Body)
		next.Body.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "read event:", err)
			os.Exit(1)
		}
		requestID := next.Header.Get("Lambda-Runtime-Aws-Request-Id")
		body := fmt.Sprintf(`{"statusCode":200,"body":"received %d bytes"}`, len(event))
		reply, err := http.Post(base+requestID+"/response", "application/json", bytes.NewBufferString(body))
		if err != nil {
			fmt.Fprintln(os.Stderr, "post response:", err)
			os.Exit(1)
		}
		reply.Body.Close()
	}
}
