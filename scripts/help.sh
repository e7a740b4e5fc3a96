#!/usr/bin/env bash
echo "usage: ./dev start | ./dev test" >&2
exit 2
