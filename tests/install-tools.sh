#!/usr/bin/env sh
# What the live tests need beyond the Python packages: Chromium (Debian) for the browser tests, curl for
# the README examples run as written, and
# Node.js with the official @microsoft/signalr client for the hub test and oauth4webapi (the SDK's OAuth
# library) for the token flow over TLS. Idempotent: installs only
# what is missing. Part of the README's test command (and so of .ci/run).
set -eu
cd "$(dirname "$0")"
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
command -v curl >/dev/null 2>&1 || missing="$missing curl"  # the README's curl examples are run as written
if [ -n "$missing" ]; then
  echo "install-tools: installing$missing (apt-get)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
    || echo "install-tools: could not install$missing; the live tests will skip (or fail under INSURUP_SANDBOX_REQUIRE_TOOLS=1)" >&2
fi
if command -v npm >/dev/null 2>&1 && { [ ! -d js/node_modules/@microsoft/signalr ] || [ ! -d js/node_modules/oauth4webapi ]; }; then
  (cd js && npm ci --no-audit --no-fund --silent)
fi
