#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit tests, then integration tests on the real engine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n== %s\n' "$*"; }
step "typecheck (tsc --noEmit)"
tsc --noEmit -p .
step "lint (biome)"
biome check .
step "unit tests"
vitest run --project unit
step "manifest checkers (kubernetes-validate, kube-score, checkov)"
# shellcheck source=scripts/toolchain.sh
source scripts/toolchain.sh
# shellcheck source=scripts/manifest-tools.sh
source scripts/manifest-tools.sh
ensure_manifest_tools
step "integration tests (real Pulumi engine)"
vitest run --project integration
