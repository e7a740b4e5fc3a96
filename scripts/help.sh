#!/usr/bin/env bash
cat >&2 <<'USAGE'
usage: ./dev COMMAND
  start     set up what is missing, then run the server with demo data and the desktop app
  test      set up what is missing, then run every test
  package   build the server's Debian package (release build) and test it: install, migrate, seed, serve,
            backup, restore, remove (needs root or sudo; not part of `test`)
USAGE
exit 2
