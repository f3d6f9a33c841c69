#!/usr/bin/env bash
# Builds the library's packages from the compiled assembly (.jsii) into dist/,
# as a release would:
#   dist/python   the wheel and sdist (pip wheel)
#   dist/java     the jar, sources and javadoc in a Maven repository layout (mvn deploy)
#   dist/go       the Go module, compiled once by `go build` against its dependencies
#   dist/dotnet   sources only: NuGet, which the build would need, is not reachable here
# Skipped when dist/ was built from the same assembly, bundles and Guard rules
# (a stamp holds their hash).
# The bindings of the pinned CDK come from scripts/languages/bindings.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=scripts/languages/env.sh
source "$root/scripts/languages/env.sh"
cd "$root"

test -f .jsii || { echo "package: no .jsii here; run npx projen compile first" >&2; exit 1; }
stamp="dist/.assembly.sha256"
want="$(find .jsii assets guard scripts/languages/package.sh -type f | sort | xargs cat | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "package: dist/ is up to date with .jsii, assets/ and guard/"
  exit 0
fi
start=$(date +%s)
rm -rf dist/python dist/java dist/go dist/dotnet
# The Go module's build resolves cdk-nag's module from beside it when the Go proxy lacks that version.
nag="$CDK_SF_CACHE/go/cdknag-$(npm_version cdk-nag)"
if [ -f "$nag/go.mod" ]; then
  mkdir -p dist/go
  cp -r "$nag" dist/go/cdknag
fi
npx jsii-pacmak --target python --target java --target go --maven-local-repository="$CDK_SF_CACHE/m2"
rm -rf dist/go/cdknag
npx jsii-pacmak --code-only --target dotnet
echo "$want" > "$stamp"
echo "package: python, java and go built, dotnet generated, in $(( $(date +%s) - start )) s"
find dist/python dist/java -name '*.whl' -o -name '*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' | sed 's/^/  /'
