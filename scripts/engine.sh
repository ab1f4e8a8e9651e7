#!/usr/bin/env bash
# The Pulumi engine and the plugins it needs, sourced by scripts/toolchain.sh.
# - CLI: a `pulumi` on PATH when it is at least the @pulumi/pulumi version in package.json, else the
#   CLI built from the Go module proxy by the recipe in engine/pulumi/, cached by version.
# - Kubernetes provider: built by the recipe in engine/kubernetes/ at the version @pulumi/kubernetes
#   asks for, cached by version, and installed into the plugin cache so the engine never downloads it.

# Reads an exact dependency version from package.json.
dependency_version() {
  sed -n "s/^ *\"$(printf '%s' "$1" | sed 's/\//\\\//g')\": *\"\\([0-9.]*\\)\".*/\\1/p" "$STACKLINE_ROOT/package.json" | head -n 1
}

cli_version() {
  "$1" version 2>/dev/null | sed 's/^v//'
}

go_env() {
  command -v go >/dev/null 2>&1 || return 1
  export GOTOOLCHAIN=local GOMODCACHE="$STACKLINE_CACHE/go/mod" GOCACHE="$STACKLINE_CACHE/go/build"
  export GOFLAGS="-modcacherw -mod=readonly" CGO_ENABLED=0
}

# go_build DIR PACKAGE OUTPUT LDFLAGS: builds with `-v`, turning its package list into progress lines.
go_build() {
  local dir="$1" pkg="$2" out="$3" ldflags="$4" total started=$SECONDS
  say "downloading modules (verified against $(basename "$dir")/go.sum)"
  (cd "$dir" && go mod download) || die "go mod download failed; check GOPROXY ($(go env GOPROXY))"
  total="$(cd "$dir" && go list -deps "$pkg" | wc -l)"
  (cd "$dir" && go build -v -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w $ldflags" -o "$out" "$pkg" 2>&1) |
    awk -v total="$total" '
      { n++ } n % 100 == 0 { printf "[setup] compiled %d of at most %d packages\n", n, total > "/dev/stderr"; fflush() }
      /^#|\.go:[0-9]+:/ { print > "/dev/stderr" }' || true
  [ -x "$out" ] || die "building $pkg failed (see the compiler output above)"
  say "built $(basename "$out") in $((SECONDS - started))s"
}

build_cli() {
  local version="$1" out="$2" recipe="$STACKLINE_ROOT/engine/pulumi"
  grep -Eq "github.com/pulumi/pulumi/pkg/v3 v$version( |\$)" "$recipe/go.mod" ||
    die "engine/pulumi/go.mod does not pin pkg/v3 v$version (package.json stackline.pulumiEngine). Update the recipe: cd engine/pulumi && go get github.com/pulumi/pulumi/pkg/v3@v$version github.com/pulumi/pulumi/sdk/v3@v$version && go mod tidy"
  go_env || die "no Pulumi CLI >= $(dependency_version @pulumi/pulumi) on PATH and no Go to build one. Install Pulumi (https://www.pulumi.com/docs/install/) or Go >= 1.26 and run again."
  say "building the Pulumi CLI v$version from the Go module proxy (cold: about 8 minutes on 2 cores; cached afterwards)"
  rm -rf "$out.tmp" && mkdir -p "$out.tmp/bin"
  go_build "$recipe" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$out.tmp/bin/pulumi" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
  rm -rf "$out" && mv "$out.tmp" "$out"
}

ensure_cli() {
  local sdk pinned found="" have
  sdk="$(dependency_version @pulumi/pulumi)"
  pinned="$(package_field pulumiEngine)"
  version_at_least "$pinned" "$sdk" || die "stackline.pulumiEngine ($pinned) is older than @pulumi/pulumi ($sdk)"
  local cached="$STACKLINE_CACHE/pulumi/$pinned"
  unset STACKLINE_PULUMI
  if [ -z "${STACKLINE_BUILD_ENGINE:-}" ] && found="$(command -v pulumi 2>/dev/null)" && [ "$found" != "$cached/bin/pulumi" ]; then
    have="$(cli_version "$found")"
    if [ -n "$have" ] && version_at_least "$have" "$sdk"; then
      export STACKLINE_PULUMI="$found"
    else
      say "ignoring $found (version '${have:-unknown}' is older than @pulumi/pulumi $sdk)"
    fi
  fi
  if [ -z "${STACKLINE_PULUMI:-}" ]; then
    [ -x "$cached/bin/pulumi" ] || build_cli "$pinned" "$cached"
    install_bundled_plugins "$cached/bin"
    export STACKLINE_PULUMI="$cached/bin/pulumi"
  fi
  export PATH="$(dirname "$STACKLINE_PULUMI"):$PATH"
}

# Pulumi's releases bundle the Node.js language host and the dynamic-provider launcher next to the CLI;
# the engine looks there first and warns about copies found elsewhere on PATH. For the CLI built here,
# put small launchers there that run engine/bin's (see engine/README.md). STACKLINE_ROOT wins, so one
# cached CLI serves every checkout; the path written here is the fallback for a direct `pulumi` call.
install_bundled_plugins() {
  local bin="$1" name
  for name in pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
    printf '#!/bin/sh\n# Written by Stackline set-up (scripts/engine.sh).\nexec "${STACKLINE_ROOT:-%s}/engine/bin/%s" "$@"\n' \
      "$STACKLINE_ROOT" "$name" > "$bin/$name.tmp"
    chmod +x "$bin/$name.tmp" && mv "$bin/$name.tmp" "$bin/$name"
  done
}

# The provider's main package embeds two generated files that the proxy's copy of the module lacks:
# compact copies of schema.json (with its version set) and terraform-mapping.json.
build_kubernetes() {
  local version="$1" out="$2" recipe="$STACKLINE_ROOT/engine/kubernetes"
  local src="$out.src" module=github.com/pulumi/pulumi-kubernetes/provider/v4
  say "building the Kubernetes provider v$version from the Go module proxy (cold: about 10 minutes on 2 cores; cached afterwards)"
  rm -rf "$src" && mkdir -p "$src" && cp "$recipe/go.mod" "$recipe/go.sum" "$src/"
  (cd "$src" && go mod download "$module") || die "could not download $module"
  local dir
  dir="$(cd "$src" && go list -m -f '{{.Dir}}' "$module")/cmd/pulumi-resource-kubernetes"
  cp "$dir/main.go" "$src/main.go" && chmod u+w "$src/main.go"
  node "$STACKLINE_ROOT/scripts/kubernetes-embeds.mjs" "$dir" "$src" "$version"
  go_build "$src" . "$src/pulumi-resource-kubernetes" \
    "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$version"
  rm -rf "$out" && mkdir -p "$out" && mv "$src/pulumi-resource-kubernetes" "$out/" && rm -rf "$src"
}

ensure_kubernetes_plugin() {
  local version recipe_version
  version="$(dependency_version @pulumi/kubernetes)"
  recipe_version="$(cat "$STACKLINE_ROOT/engine/kubernetes/sdk-version")"
  local home="${PULUMI_HOME:-$HOME/.pulumi}"
  [ -x "$home/plugins/resource-kubernetes-v$version/pulumi-resource-kubernetes" ] && return 0
  [ "$version" = "$recipe_version" ] ||
    die "engine/kubernetes builds the provider for @pulumi/kubernetes $recipe_version but package.json pins $version; update the recipe (engine/README.md)"
  local cached="$STACKLINE_CACHE/kubernetes/$version"
  if [ ! -x "$cached/pulumi-resource-kubernetes" ]; then
    go_env || die "the Kubernetes provider v$version is not installed and there is no Go to build it. Install Go >= 1.26, or run 'pulumi plugin install resource kubernetes v$version' where downloads work."
    build_kubernetes "$version" "$cached"
  fi
  "$STACKLINE_PULUMI" plugin install resource kubernetes "v$version" --file "$cached/pulumi-resource-kubernetes" >/dev/null ||
    die "could not install the Kubernetes provider into the plugin cache"
  say "installed the Kubernetes provider v$version into $home/plugins"
}

ensure_engine() {
  ensure_cli
  ensure_kubernetes_plugin
}
