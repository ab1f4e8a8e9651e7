#!/usr/bin/env bash
# Tools the tests use, from package registries only, cached under $STACKLINE_CACHE/tools:
# - kubernetes-validate (PyPI): strict validation against the Kubernetes API schemas it bundles
# - kube-score (Go module proxy)
# - checkov (PyPI): stands in for kube-linter, which no registry here serves (see README, Tests)
# - actionlint (Go module proxy): lints .github/workflows
# - versitygw (Go module proxy): a real S3 server (Versity's S3 gateway over a folder), so the S3
#   backend tests run the engine and the release store against the S3 protocol
# Sourced by scripts/check.sh; exports STACKLINE_KUBE_SCORE, STACKLINE_KUBERNETES_VALIDATE,
# STACKLINE_CHECKOV, STACKLINE_ACTIONLINT and STACKLINE_VERSITYGW.

ACTIONLINT_VERSION=1.7.12
KUBE_SCORE_VERSION=1.20.0
KUBERNETES_VALIDATE_VERSION=1.37.0
CHECKOV_VERSION=3.3.30
VERSITYGW_VERSION=1.8.0

python_tool() {
  local name="$1" version="$2" venv="$STACKLINE_CACHE/tools/$1-$2"
  # A venv records its own path, so it is built in place; the marker says the install finished.
  if [ ! -f "$venv/.complete" ]; then
    say "installing $name $version from PyPI"
    rm -rf "$venv" && python3 -m venv "$venv" &&
      "$venv/bin/pip" install --quiet --disable-pip-version-check "$name==$version" ||
      die "could not install $name $version from PyPI"
    touch "$venv/.complete"
  fi
  printf '%s' "$venv/bin/$name"
}

# go_tool NAME VERSION PACKAGE: builds a Go command once per version and prints its path.
go_tool() {
  local name="$1" version="$2" package="$3" bin="$STACKLINE_CACHE/tools/$1-$2"
  if [ ! -x "$bin/$name" ]; then
    go_env || die "$name needs Go >= 1.26 to build"
    say "building $name $version from the Go module proxy"
    GOFLAGS=-modcacherw GOBIN="$bin" go install "$package@v$version" || die "could not build $name"
  fi
  printf '%s' "$bin/$name"
}

ensure_test_tools() {
  STACKLINE_KUBE_SCORE="$(go_tool kube-score "$KUBE_SCORE_VERSION" github.com/zegl/kube-score/cmd/kube-score)"
  STACKLINE_ACTIONLINT="$(go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint)"
  # Cold: about 2 minutes on 2 cores (336 MB of modules); cached afterwards.
  STACKLINE_VERSITYGW="$(go_tool versitygw "$VERSITYGW_VERSION" github.com/versity/versitygw/cmd/versitygw)"
  export STACKLINE_KUBE_SCORE STACKLINE_ACTIONLINT STACKLINE_VERSITYGW
  STACKLINE_KUBERNETES_VALIDATE="$(python_tool kubernetes-validate "$KUBERNETES_VALIDATE_VERSION")"
  STACKLINE_CHECKOV="$(python_tool checkov "$CHECKOV_VERSION")"
  export STACKLINE_KUBERNETES_VALIDATE STACKLINE_CHECKOV
}
