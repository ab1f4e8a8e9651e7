#!/usr/bin/env bash
# The Pulumi engine: a `pulumi` CLI from PATH when it is at least the @pulumi/pulumi version in
# package.json; otherwise the CLI built from the Go module proxy by the recipe in engine/pulumi/,
# cached under $STACKLINE_CACHE/pulumi/<version>. Sourced by scripts/toolchain.sh.

sdk_version() {
  sed -n 's/^ *"@pulumi\/pulumi": *"\([0-9.]*\)".*/\1/p' "$STACKLINE_ROOT/package.json" | head -n 1
}

cli_version() {
  "$1" version 2>/dev/null | sed 's/^v//'
}

# Builds engine/pulumi's tool at the pinned version, printing progress as packages compile.
build_engine() {
  local version="$1" out="$2"
  local recipe="$STACKLINE_ROOT/engine/pulumi"
  grep -Eq "github.com/pulumi/pulumi/pkg/v3 v$version( |\$)" "$recipe/go.mod" ||
    die "engine/pulumi/go.mod does not pin pkg/v3 v$version (package.json stackline.pulumiEngine). Update the recipe: cd engine/pulumi && go get github.com/pulumi/pulumi/pkg/v3@v$version github.com/pulumi/pulumi/sdk/v3@v$version && go mod tidy"
  command -v go >/dev/null 2>&1 ||
    die "no Pulumi CLI >= $(sdk_version) on PATH and no Go to build one. Install Pulumi (https://www.pulumi.com/docs/install/) or Go >= 1.26 and run again."
  export GOTOOLCHAIN=local GOMODCACHE="$STACKLINE_CACHE/go/mod" GOCACHE="$STACKLINE_CACHE/go/build"
  export GOFLAGS="-modcacherw -mod=readonly" CGO_ENABLED=0
  local pkg=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  say "building the Pulumi CLI v$version from the Go module proxy (cold: about 8 minutes on 2 cores; cached afterwards)"
  say "downloading modules (verified against engine/pulumi/go.sum)"
  (cd "$recipe" && go mod download) || die "go mod download failed; check GOPROXY ($(go env GOPROXY))"
  local total
  total="$(cd "$recipe" && go list -deps "$pkg" | wc -l)"
  mkdir -p "$out.tmp/bin"
  local started=$SECONDS
  (cd "$recipe" && go build -v -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      -o "$out.tmp/bin/pulumi" "$pkg" 2>&1) |
    awk -v total="$total" -v start="$started" '
      { n++ } n % 100 == 0 { printf "[setup] compiled %d of at most %d packages\n", n, total > "/dev/stderr" }
      /^#|error|cannot/ { print > "/dev/stderr" }'
  [ -x "$out.tmp/bin/pulumi" ] || die "building the Pulumi CLI failed (see the compiler output above)"
  rm -rf "$out" && mv "$out.tmp" "$out"
  say "built the Pulumi CLI v$version in $((SECONDS - started))s"
}

ensure_engine() {
  local sdk pinned found="" have
  sdk="$(sdk_version)"
  pinned="$(package_field pulumiEngine)"
  version_at_least "$pinned" "$sdk" || die "stackline.pulumiEngine ($pinned) is older than @pulumi/pulumi ($sdk)"
  local cached="$STACKLINE_CACHE/pulumi/$pinned"
  if [ -z "${STACKLINE_BUILD_ENGINE:-}" ] && found="$(command -v pulumi 2>/dev/null)" && [ "$found" != "$cached/bin/pulumi" ]; then
    have="$(cli_version "$found")"
    if [ -n "$have" ] && version_at_least "$have" "$sdk"; then
      export STACKLINE_PULUMI="$found"
    else
      say "ignoring $found (version '${have:-unknown}' is older than @pulumi/pulumi $sdk)"
    fi
  fi
  if [ -z "${STACKLINE_PULUMI:-}" ]; then
    [ -x "$cached/bin/pulumi" ] || build_engine "$pinned" "$cached"
    export STACKLINE_PULUMI="$cached/bin/pulumi"
  fi
  # The engine finds language and resource plugins on PATH: our Node.js language host and the
  # dynamic-provider launcher live in engine/bin (see engine/README.md).
  export PATH="$(dirname "$STACKLINE_PULUMI"):$STACKLINE_ROOT/engine/bin:$PATH"
}
