#!/usr/bin/env bash
# The embedded default: with no backend configured, state goes to a git-ignored local folder and
# secrets use a passphrase that is documented as local-only. A user's PULUMI_BACKEND_URL is kept as is.
# Offline mode (no update check, no plugin downloads) is on for the embedded default and can be set
# either way with STACKLINE_OFFLINE=1/0.
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  export STACKLINE_EMBEDDED_BACKEND=1
  mkdir -p "$STACKLINE_ROOT/.stackline/state"
  export PULUMI_BACKEND_URL="file://$STACKLINE_ROOT/.stackline/state"
  if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
    # Local-only: protects nothing but lets the passphrase secrets provider work with no prompt.
    export PULUMI_CONFIG_PASSPHRASE="stackline-local-only"
  fi
fi
if [ "${STACKLINE_OFFLINE:-${STACKLINE_EMBEDDED_BACKEND:-0}}" = "1" ]; then
  export STACKLINE_OFFLINE=1
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
fi
