#!/usr/bin/env sh
# What the live tests need beyond the Python packages: Chromium (Debian) for the browser tests, curl for
# the README examples run as written, and
# Node.js with the official @microsoft/signalr client for the hub test and oauth4webapi (the SDK's OAuth
# library) for the token flow over TLS. Idempotent: installs only
# what is missing, and says what and how (apt-get, through sudo when not root) before it does;
# INSURUP_SANDBOX_NO_SYSTEM_PACKAGES=1 installs no system package. Part of the README's test command
# (and so of .ci/run).
set -eu
cd "$(dirname "$0")"
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
command -v curl >/dev/null 2>&1 || missing="$missing curl"  # the README's curl examples are run as written
if [ -n "$missing" ] && [ -n "${INSURUP_SANDBOX_NO_SYSTEM_PACKAGES:-}" ]; then
  echo "install-tools: not installing$missing (INSURUP_SANDBOX_NO_SYSTEM_PACKAGES is set); the browser, hub and" \
       "README tests will skip, or fail under INSURUP_SANDBOX_REQUIRE_TOOLS=1" >&2
elif [ -n "$missing" ]; then
  how="apt-get"
  [ "$(id -u)" = 0 ] || how="sudo apt-get (it may ask for your password)"
  echo "install-tools: the browser, hub and README tests need$missing, which this machine lacks." >&2
  echo "install-tools: installing them with $how; set INSURUP_SANDBOX_NO_SYSTEM_PACKAGES=1 to skip this." >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
    || echo "install-tools: could not install$missing; the live tests will skip (or fail under INSURUP_SANDBOX_REQUIRE_TOOLS=1)" >&2
fi
if command -v npm >/dev/null 2>&1 && { [ ! -d js/node_modules/@microsoft/signalr ] || [ ! -d js/node_modules/oauth4webapi ]; }; then
  (cd js && npm ci --no-audit --no-fund --silent)
fi
