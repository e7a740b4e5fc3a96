#!/usr/bin/env bash
# Installs what is missing on a Debian/Ubuntu machine: Tauri's system packages, test tools, npm packages.
# Idempotent: a second run only checks. Sourced by start.sh and test.sh.
set -euo pipefail

APT_PACKAGES=(
  # Tauri 2 on Linux
  libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  # WebDriver end-to-end tests under a virtual display, with a D-Bus session and a notification daemon
  webkit2gtk-driver xvfb xauth dbus-x11 dunst keyutils
  # libfaketime: the MFA WebDriver test runs the app with its clock 5 minutes off, as a phone's can be
  faketime
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20+ with npm is required" >&2; exit 1; }

# The UI's npm packages, exactly as locked.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund)
fi
echo "==> building the UI"
(cd ui && npm run build --silent)
