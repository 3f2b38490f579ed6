#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: runs inside the test VM.
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib.sh"
say() { printf '\n==> %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "Loading slicebus and slicesim (one simulated DSA device, sim0)"
sb_modprobe slicebus slicesim || exit 1
run ls /sys/class/slicebus/
run ls -l /sys/class/slicebus/sim0
