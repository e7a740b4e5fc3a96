#!/usr/bin/env bash
# Runs every test: format and lints, unit tests, the server on SQLite and PostgreSQL, core <-> server end to end,
# the fault tests (short run), the IPC type drift check, the UI type check, the benchmark harness in quick mode,
# and the WebDriver test of the desktop app under Xvfb.
set -euo pipefail
source scripts/setup.sh

# PostgreSQL for the server and end-to-end suites (trust auth on 127.0.0.1:5432 by default).
export MYSAPK_TEST_PG_URL="${MYSAPK_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "==> PostgreSQL is not listening on 127.0.0.1:5432; trying to start the local cluster"
  command -v pg_ctlcluster >/dev/null && as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi

command -v tauri-driver >/dev/null || { echo "==> cargo install tauri-driver"; cargo install tauri-driver --locked; }
command -v cargo-deny >/dev/null || { echo "==> cargo install cargo-deny"; cargo install cargo-deny --locked; }

echo "==> rustfmt"
cargo fmt --all --check
echo "==> clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "==> dependencies: advisories (offline RustSec snapshot), licenses, bans, sources (deny.toml)"
# The snapshot comes as a git bundle (../shared/advisory-db.md); cargo-deny reads it from the directory named after
# the database URL in deny.toml. A newer bundle replaces the clone.
ADVISORY_DB=target/advisory-dbs/advisory-db-3157b0e258782691
if [ ! -d "$ADVISORY_DB" ] || [ ../shared/advisory-db.bundle -nt "$ADVISORY_DB" ]; then
  rm -rf "$ADVISORY_DB" && git clone -q ../shared/advisory-db.bundle "$ADVISORY_DB"
fi
# cargo deny reads the metadata of every target's dependencies (Android, iOS, wasm too): fetch them from the
# registry first, or a machine that only ever built for Linux lacks them and --offline fails.
cargo fetch --locked
cargo deny --offline check
echo "==> IPC types (fails when ui/src/gen/ipc.ts drifts from the Rust types)"
cargo test -p mysapk-model --features ts --test ts_types
echo "==> UI type check"
(cd ui && npm run check --silent)
echo "==> UI unit tests"
(cd ui && npm test --silent)
echo "==> unit, server (SQLite + PostgreSQL) and core <-> server tests"
# The server binary first: the SIGTERM test (tests/tests/core_server/shutdown.rs) runs target/debug/mysapk-server.
cargo build -p mysapk-server-cli
cargo test --workspace
echo "==> benchmark harness, quick mode (keeps it working; figures go to target/bench-quick, never asserted)"
cargo run -q -p mysapk-bench -- all --quick
cargo run -q -p mysapk-bench -- p8 --quick
echo "==> WebDriver test of the desktop app under Xvfb"
cargo build -p mysapk-server-cli -p mysapk-app
xvfb-run -a -s "-screen 0 1920x1080x24" dbus-run-session -- \
  cargo test -p mysapk-e2e --features desktop --test desktop -- --nocapture
echo "==> all tests passed"
