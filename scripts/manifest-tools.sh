#!/usr/bin/env bash
# Manifest checkers for the tests, from package registries only, cached under $STACKLINE_CACHE/tools:
# - kubernetes-validate (PyPI): strict validation against the Kubernetes API schemas it bundles
# - kube-score (Go module proxy)
# - checkov (PyPI): stands in for kube-linter, which no registry here serves (see README, Tests)
# Sourced by scripts/check.sh; exports STACKLINE_KUBE_SCORE, STACKLINE_KUBERNETES_VALIDATE, STACKLINE_CHECKOV.

KUBE_SCORE_VERSION=1.20.0
KUBERNETES_VALIDATE_VERSION=1.37.0
CHECKOV_VERSION=3.3.30

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

ensure_manifest_tools() {
  local bin="$STACKLINE_CACHE/tools/kube-score-$KUBE_SCORE_VERSION"
  if [ ! -x "$bin/kube-score" ]; then
    go_env || die "kube-score needs Go >= 1.26 to build"
    say "building kube-score $KUBE_SCORE_VERSION from the Go module proxy"
    GOFLAGS=-modcacherw GOBIN="$bin" go install "github.com/zegl/kube-score/cmd/kube-score@v$KUBE_SCORE_VERSION" ||
      die "could not build kube-score"
  fi
  export STACKLINE_KUBE_SCORE="$bin/kube-score"
  STACKLINE_KUBERNETES_VALIDATE="$(python_tool kubernetes-validate "$KUBERNETES_VALIDATE_VERSION")"
  STACKLINE_CHECKOV="$(python_tool checkov "$CHECKOV_VERSION")"
  export STACKLINE_KUBERNETES_VALIDATE STACKLINE_CHECKOV
}
