#!/usr/bin/env bash
# Builds the Debian package of the server (cargo-deb, release build) into target/debian/, then tests it on this
# machine: installs it (dpkg -i), checks the unit with `systemd-analyze verify` and the conffile, runs the
# INSTALLED binary's `migrate`, `seed --demo`, `serve` (/healthz, /readyz, a login), `backup` and `restore` against
# a temporary directory, stops it with SIGTERM (exit 0), and removes the package again (dpkg --purge).
# Not part of `./dev test`: the release build alone takes minutes. Needs root (or sudo) for dpkg.
# Options: --build-only (no install test).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
started=$(date +%s)
step() { echo "==> [$(($(date +%s) - started)) s] $*"; }

command -v cargo-deb >/dev/null || { step "cargo install cargo-deb"; cargo install cargo-deb --locked; }

step "cargo deb (release build of mysapk-server)"
deb=$(cargo deb -p mysapk-server-cli --output target/debian/ | tail -n1)
[ -f "$deb" ] || { echo "cargo deb did not report a package file: $deb" >&2; exit 1; }
step "built $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb" | sed -n '/Package:/,/Description:/p'
dpkg-deb --contents "$deb" | awk '{print "    " $1, $6}'
[ "${1:-}" = "--build-only" ] && exit 0

if dpkg-query -W -f='${Status}' mysapk-server 2>/dev/null | grep -q "install ok installed"; then
  echo "mysapk-server is already installed on this machine: not touching a real installation" >&2
  exit 1
fi

tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  if dpkg-query -W -f='${Status}' mysapk-server 2>/dev/null | grep -q "ok installed"; then
    step "dpkg --purge mysapk-server"
    as_root dpkg --purge mysapk-server >/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

step "dpkg -i"
as_root dpkg -i "$deb"
bin=/usr/bin/mysapk-server
unit=$(dpkg -L mysapk-server | grep '/systemd/system/mysapk-server.service$')
step "installed: $bin ($($bin --version)), unit $unit"
step "systemd-analyze verify $unit"
systemd-analyze verify "$unit"
dpkg-query -W -f='${Conffiles}\n' mysapk-server | grep -q '/etc/mysapk/server.env' \
  || { echo "/etc/mysapk/server.env is not a conffile" >&2; exit 1; }
[ "$(stat -c %a /etc/mysapk/server.env)" = 600 ] || { echo "/etc/mysapk/server.env is not 0600" >&2; exit 1; }
ls /usr/share/mysapk/reference/instansi.json >/dev/null

# The installed binary against a temporary data directory, with the package's reference tables.
export DATABASE_URL="sqlite://$tmp/data/mysapk.sqlite"
export MYSAPK_DOCUMENT_DIR="$tmp/data/documents"
export MYSAPK_REFERENCE_DIR=/usr/share/mysapk/reference
export MYSAPK_MFA_REQUIRED=none
export RUST_LOG=warn
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
step "migrate"
$bin migrate
step "seed --demo"
$bin seed --demo
step "serve on $base"
$bin serve --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
  sleep 0.1
done
step "/healthz: $(curl -fsS "$base/healthz")"
step "/readyz: $(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")"
login=$(curl -fsS -H 'Content-Type: application/json' \
  -d '{"nip":"199001012015031001","password":"demo1234"}' "$base/api/v1/auth/login")
grep -q '"access_token"' <<<"$login" || { echo "demo login failed: $login" >&2; exit 1; }
step "demo login: ok"
step "backup (online, the server running)"
$bin backup --to "$tmp/backup"
step "SIGTERM"
kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=
[ "$rc" = 0 ] || { echo "serve exited $rc after SIGTERM" >&2; cat "$tmp/serve.log" >&2; exit 1; }
step "restore into a fresh directory"
$bin restore --from "$tmp/backup" --database-url "sqlite://$tmp/restored/mysapk.sqlite" \
  --document-dir "$tmp/restored/documents"
if $bin restore --from "$tmp/backup" --database-url "sqlite://$tmp/restored/mysapk.sqlite" \
  --document-dir "$tmp/restored/documents" 2>/dev/null; then
  echo "a second restore onto the restored data was not refused" >&2
  exit 1
fi
step "dpkg --purge mysapk-server"
as_root dpkg --purge mysapk-server >/dev/null
[ ! -e "$bin" ] && [ ! -e /etc/mysapk/server.env ] && [ ! -e "$unit" ] \
  || { echo "the package left files behind after --purge" >&2; exit 1; }
step "package test passed"
