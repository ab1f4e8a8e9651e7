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
step "integration tests (real Pulumi engine)"
vitest run --project integration
