#!/usr/bin/env bash
# Installs the pinned scanners (requirements.txt) into .scanners/venv, once per
# change of the pins: a stamp holds the hash of requirements.txt. pip's own
# cache (PIP_CACHE_DIR, by default ~/.cache/pip) keeps the downloads between
# runs on machines that keep it. Prints how long it took.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.scanners/venv"
requirements="$root/scripts/scanners/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "scanners: up to date in .scanners/venv"
  exit 0
fi
start=$(date +%s)
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
echo "$want" > "$stamp"
echo "scanners: installed $(grep -v '^#' "$requirements" | tr '\n' ' ')in $(( $(date +%s) - start )) s"
