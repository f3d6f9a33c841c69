#!/usr/bin/env bash
# Synthesizes the language app of examples/languages/<language> into <work>/cdk.out,
# as a user of the published package would: the library's package from dist/
# (scripts/languages/package.sh), next to aws-cdk-lib and cdk-nag of the pinned
# versions (scripts/languages/bindings.sh). The app gets what the CDK CLI gives
# an app: CDK_OUTDIR, and the context `cdk init` writes into cdk.json (the
# recommended feature flags), plus schema-validation warnings as errors.
#
#   run-app.sh python|java|go <work> [overlay]
#
# Files of the optional overlay folder replace the app's of the same name (the
# tests give a usage file that builds an insecure function, to see it caught).
#
# Exits with the app's status: non-zero when a suite in the app found something
# (the report is in <work>/cdk.out/validation-report.json) or the build failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=scripts/languages/env.sh
source "$root/scripts/languages/env.sh"
language="${1:?usage: run-app.sh python|java|go <work>}"
work="${2:?usage: run-app.sh python|java|go <work>}"
overlay="${3:-}"
app="$root/examples/languages/$language"
cdk_version="$(cd "$root" && npm_version aws-cdk-lib)"
nag_version="$(cd "$root" && npm_version cdk-nag)"
own_version="$(cd "$root" && node -p "require('./package.json').version")"
# Where the package is published (.projenrc.ts PUBLISHER): the apps are written with
# these names, and take whatever the package is configured with.
target() { (cd "$root" && node -p "require('./package.json').jsii.targets.$1"); }
go_package="$(target go.moduleName)/$(cd "$root" && node -p "require('./package.json').name.replace(/-/g, '')")"
java_group="$(target java.maven.groupId)"
java_package="$(target java.package)"

rm -rf "$work"
mkdir -p "$work/dist/orders"
cp "$root"/test/support/handler/index.js "$work/dist/orders/index.js"
CDK_OUTDIR="$work/cdk.out"
CDK_CONTEXT_JSON="$(cd "$root" && node -p "JSON.stringify({ ...require('aws-cdk-lib/cx-api').CURRENTLY_RECOMMENDED_FLAGS, '@aws-cdk/core:validateAgainstDefaultRules': true })")"
export CDK_OUTDIR CDK_CONTEXT_JSON
start=$(date +%s)
apply_overlay() { if [ -n "$overlay" ]; then cp "$overlay"/* "$work/"; fi; }

case "$language" in
  python)
    venv="$root/.languages/python-venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      --find-links "$CDK_SF_CACHE/python/wheels" "aws-cdk-lib==$cdk_version" "cdk-nag==$nag_version"
    # The library's wheel is rebuilt under the same version: always take the one in dist/.
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$root"/dist/python/*.whl
    "$venv/bin/pip" check > /dev/null
    cp "$app"/*.py "$work/"
    apply_overlay
    echo "run-app: python environment ready in $(( $(date +%s) - start )) s"
    (cd "$work" && "$venv/bin/python" app.py)
    ;;
  java)
    m2="$CDK_SF_CACHE/m2"
    # The library's jar is rebuilt under the same version: Maven must take the one in dist/java.
    rm -rf "$m2/${java_group//.//}"
    cp "$app"/pom.xml "$app"/*.java "$work/"
    apply_overlay
    sed -i -E "s/io\.github\.[a-z0-9]+\.cdk\b/$java_package/g" "$work"/*.java
    (cd "$work" && mvn --batch-mode --quiet -Dstyle.color=never -Dmaven.repo.local="$m2" \
      -Ddist.repository="file://$root/dist/java" -Dsecure.function.version="$own_version" \
      -Dsecure.function.group="$java_group" \
      -Dcdk.version="$cdk_version" -Dcdk.nag.version="$nag_version" \
      compile exec:java)
    ;;
  go)
    cp "$app"/*.go "$work/"
    apply_overlay
    sed -i -E "s#\"[^\"]*/cdk-secure-function-go/cdksecurefunction\"#\"$go_package\"#" "$work"/*.go
    nag_major="${nag_version%%.*}"
    {
      echo "module example.com/orders"
      echo
      echo "go 1.23"
      echo
      echo "replace $go_package => $root/dist/go/cdksecurefunction"
      if [ -f "$CDK_SF_CACHE/go/cdknag-$nag_version/go.mod" ]; then
        echo "replace github.com/cdklabs/cdk-nag-go/cdknag/v$nag_major => $CDK_SF_CACHE/go/cdknag-$nag_version"
      fi
    } > "$work/go.mod"
    (cd "$work" && go mod edit -require="$go_package@v0.0.0" \
      -require="github.com/aws/aws-cdk-go/awscdk/v2@v$cdk_version" \
      -require="github.com/cdklabs/cdk-nag-go/cdknag/v$nag_major@v$nag_version" \
      && go mod tidy && go build -o orders . && echo "run-app: go app built in $(( $(date +%s) - start )) s" && ./orders)
    ;;
  *) echo "run-app: unknown language $language" >&2; exit 2 ;;
esac
echo "run-app: $language app synthesized in $(( $(date +%s) - start )) s"
