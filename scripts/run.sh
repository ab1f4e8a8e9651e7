#!/usr/bin/env bash
# Runs a command with the project's toolchain ready: `bash scripts/run.sh <command> [args...]`.
# Every npm script goes through here, so `npm run demo` and `npm test` work on a fresh clone.
set -euo pipefail
# shellcheck source=scripts/toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
toolchain_ready
export PATH="$STACKLINE_ROOT/node_modules/.bin:$PATH"
exec "$@"
