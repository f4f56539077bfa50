#!/usr/bin/env bash
# The test command (npm test): layer lint, typecheck, unit + integration tests inside a D-Bus session with an unlocked
# gnome-keyring (the keytar store meets a real keychain), then the dashboard e2e in Debian's Chromium against the
# headless bridge. Ends with the plain line "N passed, N failed, N skipped" over both suites.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent lint
npm run --silent typecheck
echo "typecheck passed"

mkdir -p test-results
command -v dbus-run-session >/dev/null || { echo "dbus-run-session missing: install dbus (see .ci/run)"; exit 1; }
command -v gnome-keyring-daemon >/dev/null || { echo "gnome-keyring-daemon missing: install gnome-keyring (see .ci/run)"; exit 1; }
status=0
# A private keyring directory per run: a keyring left by an earlier run with another password would stay locked.
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
XDG_DATA_HOME="$keyring_home" dbus-run-session -- sh -c 'printf mirrordesk | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
  npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json' || status=$?

[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium missing: install chromium (see .ci/run)"; exit 1; }
npx vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile=test-results/e2e.json || status=$?
echo "screenshots: test-results/screenshots/"
node scripts/summarise-tests.mjs test-results/vitest.json test-results/e2e.json
exit "$status"
