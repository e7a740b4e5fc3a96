#!/usr/bin/env bash
# Installs what R8 (chaos/tests/faults/r8_failover.rs) needs on a Debian/Ubuntu machine: Patroni, etcd, HAProxy
# and PostgreSQL 15's binaries. Idempotent. Installing does not start the packages' own services on a machine
# whose policy-rc.d forbids it; if yours starts them, stop them (the test starts its own on free ports).
# Then: cargo test -p mysapk-chaos --test faults r8 -- --ignored --nocapture   (as root: Patroni runs as postgres)
set -euo pipefail
APT_PACKAGES=(patroni etcd-server etcd-client haproxy postgresql-15)
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
for tool in patroni etcd haproxy runuser /usr/lib/postgresql/15/bin/postgres; do
  command -v "$tool" >/dev/null || { echo "missing after install: $tool" >&2; exit 1; }
done
echo "R8 prerequisites present: $(patroni --version), $(etcd --version | head -1), $(haproxy -v | head -1)"
