#!/usr/bin/env bash
# The Python, Java and Go bindings of the CDK this project pins (aws-cdk-lib,
# constructs, cdk-nag: the versions in node_modules), for the language apps.
#
# Each comes from its registry where the registry serves that exact version.
# Where it does not (on the day of writing: PyPI stops at aws-cdk-lib 2.275.0,
# Maven Central at 2.263.0 and cdk-cloud-assembly-schema 54.x, the Go proxy has
# no cdk-nag v3), it is built here by jsii-pacmak from the npm package in
# node_modules: the same assembly the registries' packages are made from.
#
# What is built goes into the cache ($CDK_SF_CACHE, by default
# ~/.cache/cdk-secure-function), under the versions it was built from, so a
# machine that keeps its home builds each once:
#   python/wheels   wheels pip takes with --find-links
#   m2              the Maven local repository of the Java builds (downloads too)
#   go/<module>     Go modules the apps' go.mod replaces
# Prints what it did and how long it took.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=scripts/languages/env.sh
source "$root/scripts/languages/env.sh"
cd "$root"

start=$(date +%s)
pacmak() { npx jsii-pacmak "$@"; }
# Maven, quiet unless it fails (then its output is shown).
mvn_quiet() {
  local log
  log="$(mktemp)"
  if ! mvn --batch-mode --quiet -Dstyle.color=never "$@" > "$log" 2>&1; then
    cat "$log"
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# Python: aws-cdk-lib and cdk-nag wheels.
python_bindings() {
  local wheels="$CDK_SF_CACHE/python/wheels"
  mkdir -p "$wheels"
  for pkg in aws-cdk-lib cdk-nag; do
    local version dist
    version="$(npm_version "$pkg")"
    dist="$(python_dist_name "$pkg")"
    if ls "$wheels/${dist//-/_}-$version-"*.whl > /dev/null 2>&1; then
      echo "bindings: python $pkg $version cached"
    elif python3 -m pip download --quiet --no-deps --dest "$wheels" "$dist==$version" > /dev/null 2>&1; then
      echo "bindings: python $pkg $version from PyPI"
    else
      echo "bindings: python $pkg $version not on PyPI: building it from node_modules/$pkg"
      local out
      out="$(mktemp -d)"
      pacmak "node_modules/$pkg" --target python --outdir "$out" > "$out.log" 2>&1 || { tail -40 "$out.log"; exit 1; }
      cp "$out"/python/*.whl "$wheels/"
      rm -rf "$out" "$out.log"
    fi
  done
}

# Java: aws-cdk-lib (with the cloud assembly schema it needs) and cdk-nag in the local repository.
java_bindings() {
  local m2="$CDK_SF_CACHE/m2" version
  version="$(npm_version aws-cdk-lib)"
  mkdir -p "$m2"
  for artifact in "software.amazon.awscdk:aws-cdk-lib:$version" "io.github.cdklabs:cdknag:$(npm_version cdk-nag)"; do
    if mvn_quiet -Dmaven.repo.local="$m2" dependency:get -Dartifact="$artifact" -Dtransitive=true > /dev/null; then
      # The library's pom asks for a range, which Maven resolves from repository metadata; Central's
      # lists no cdknag 3.x on the day of writing (the files are served): list it in the local one.
      local group="${artifact%%:*}" rest="${artifact#*:}"
      local name="${rest%%:*}" at="${rest#*:}"
      local file="$m2/${group//.//}/$name/$at/$name-$at" copy
      copy="$(mktemp -d)"
      cp "$file.jar" "$file.pom" "$copy/"
      mvn_quiet -Dmaven.repo.local="$m2" install:install-file -Dfile="$copy/$name-$at.jar" -DpomFile="$copy/$name-$at.pom"
      rm -rf "$copy"
      echo "bindings: java $artifact resolved"
      continue
    fi
    local pkg
    case "$artifact" in
      software.amazon.awscdk:aws-cdk-lib:*) pkg="node_modules/@aws-cdk/cloud-assembly-schema node_modules/aws-cdk-lib" ;;
      *) pkg="node_modules/cdk-nag" ;;
    esac
    echo "bindings: java $artifact not on Maven Central: building it from $pkg"
    local out
    out="$(mktemp -d)"
    # Javadoc of aws-cdk-lib takes minutes and nothing here reads it.
    # shellcheck disable=SC2086 # two package folders, built in order into one repository
    pacmak $pkg --target java --outdir "$out" --maven-local-repository="$m2" --mvn-define=maven.javadoc.skip=true \
      > "$out.log" 2>&1 || { tail -40 "$out.log"; exit 1; }
    # The build deploys into a repository folder: install each artifact into the local repository.
    while IFS= read -r pom; do
      mvn_quiet -Dmaven.repo.local="$m2" install:install-file -Dfile="${pom%.pom}.jar" -DpomFile="$pom"
    done < <(find "$out/java" -name '*.pom')
    rm -rf "$out" "$out.log"
  done
}

# Go: aws-cdk-go and constructs-go come from the Go proxy; cdk-nag v3 is built when the proxy lacks it.
go_bindings() {
  local version major module dir
  version="$(npm_version cdk-nag)"
  major="${version%%.*}"
  module="github.com/cdklabs/cdk-nag-go/cdknag/v$major"
  dir="$CDK_SF_CACHE/go/cdknag-$version"
  if [ -f "$dir/go.mod" ]; then
    echo "bindings: go cdk-nag $version cached"
  elif (cd "$(mktemp -d)" && go mod init probe > /dev/null 2>&1 && go mod download "$module@v$version" > /dev/null 2>&1); then
    echo "bindings: go cdk-nag $version from the Go proxy"
    return
  else
    echo "bindings: go cdk-nag $version not on the Go proxy: building it from node_modules/cdk-nag"
    local out
    out="$(mktemp -d)"
    JSII_BUILD_GO=0 pacmak node_modules/cdk-nag --target go --outdir "$out" > "$out.log" 2>&1 || { tail -40 "$out.log"; exit 1; }
    mkdir -p "$(dirname "$dir")"
    rm -rf "$dir"
    mv "$out/go/cdknag" "$dir"
    rm -rf "$out" "$out.log"
  fi
}

case "${1:-all}" in
  python) python_bindings ;;
  java) java_bindings ;;
  go) go_bindings ;;
  all) python_bindings; java_bindings; go_bindings ;;
  *) echo "usage: $0 [python|java|go|all]" >&2; exit 2 ;;
esac
echo "bindings: ${1:-all} ready in $(( $(date +%s) - start )) s"
