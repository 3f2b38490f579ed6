#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: one VM run of bench/run.sh; writes bench/results.json (or
# $SB_BENCH_OUT) and prints the table.  SB_BENCH_QUICK=1: a smoke run
# (written to build/bench-quick.json).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${SB_BENCH_OUT:-$top/bench/results.json}
# a smoke run does not replace the recorded results
[ -n "${SB_BENCH_QUICK:-}" ] && out=${SB_BENCH_OUT:-$top/build/bench-quick.json}
log=$(mktemp)
VM_MEM=${VM_MEM:-4G} VM_TIMEOUT=${VM_TIMEOUT:-3000} \
	"$top/selftests/vm/vm-run.sh" "SB_BENCH_QUICK=${SB_BENCH_QUICK:-} sh $top/bench/run.sh" > "$log" || {
	tail -n 30 "$log"
	echo "bench: the VM run failed" >&2
	exit 1
}
sed -n '/^BENCH-BEGIN/,/^BENCH-END/p' "$log" | python3 "$top/bench/report.py" "$out"
rm -f "$log"
