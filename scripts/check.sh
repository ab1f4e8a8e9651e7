#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit tests, workflow lint, then integration tests on the real engine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n== %s\n' "$*"; }
step "typecheck (tsc --noEmit)"
tsc --noEmit -p .
step "lint (biome)"
biome check .
step "unit tests"
vitest run --project unit
step "test tools (kubernetes-validate, kube-score, checkov, actionlint, versitygw)"
# shellcheck source=scripts/toolchain.sh
source scripts/toolchain.sh
# shellcheck source=scripts/test-tools.sh
source scripts/test-tools.sh
ensure_test_tools
step "lint GitHub workflows (actionlint)"
"$STACKLINE_ACTIONLINT" -color=false
step "integration tests (real Pulumi engine)"
vitest run --project integration
