#!/usr/bin/env bash
# Starts the product for a person: the server on its embedded SQLite with the demo data, and the desktop app.
set -euo pipefail
source scripts/setup.sh

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found. The desktop app needs one; on a headless machine run:" >&2
  echo "    xvfb-run -a ./dev start" >&2
  exit 1
fi

export DATABASE_URL="${DATABASE_URL:-sqlite://data/mysapk.sqlite}"
export MYSAPK_ADDR="${MYSAPK_ADDR:-127.0.0.1:8080}"
export MYSAPK_SERVER_URL="${MYSAPK_SERVER_URL:-http://$MYSAPK_ADDR}"
# The demo's reviewers and admins log in with their password alone; `MYSAPK_MFA_REQUIRED=privileged ./dev start`
# makes them enrol an authenticator app first, as a real agency's server does by default.
export MYSAPK_MFA_REQUIRED="${MYSAPK_MFA_REQUIRED:-none}"

echo "==> building server and app"
cargo build -p mysapk-server-cli -p mysapk-app
echo "==> demo data (only when the database is empty)"
target/debug/mysapk-server seed --demo
echo "==> server on $MYSAPK_ADDR ($DATABASE_URL)"
target/debug/mysapk-server serve &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
echo "==> app (log in as 199001012015031001 / demo1234)"
# Tokens go to the kernel keyring (keyutils). `keyctl session -` gives the app a session keyring of its own,
# which works in containers whose inherited session keyring is read-only; the keys are also linked to the
# user's persistent keyring, so they outlive the app.
if command -v keyctl >/dev/null; then keyctl session - target/debug/mysapk-app; else target/debug/mysapk-app; fi
