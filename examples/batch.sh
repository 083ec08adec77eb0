#!/usr/bin/env bash
# Pseudonymize the example documents into OUT_DIR, with a JSON report beside it.
#   DEIDENT_KEY_FILE=~/secure/project.key examples/batch.sh OUT_DIR
set -euo pipefail
out="${1:-build/batch}"
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$out" "$out-report.json"
deident pseudonymize "$here/documents" "$out" --workers 2 --no-progress
echo "report: $out-report.json"
