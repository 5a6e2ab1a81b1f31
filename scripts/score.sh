#!/usr/bin/env bash
# Extracts one shared fixture set and scores it: scripts/score.sh letters|pdf|scans [--verbose]
set -euo pipefail
cd "$(dirname "$0")/.."
set_name=${1:-letters}; shift || true
out=$(mktemp -d)
node bin/vanthu.mjs extract ../shared/fixtures/"$set_name"/* --out "$out" || true
node ../shared/eval/score.mjs --gold ../shared/fixtures/gold --pred "$out" --inputs ../shared/fixtures/"$set_name" "$@"
rm -rf "$out"
