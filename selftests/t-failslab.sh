#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Allocation failures in slice creation and deletion, systematically: for
# every entry point (slicebus netlink for dma and vdpa slices, the vdpa
# tool's netlink, mdev sysfs create) the 1st, 2nd, ... slab allocation of
# the request fails in turn (fail-nth, progs/failnth.py) until the request
# gets through without reaching it.  Each failure must leave nothing
# behind (and a failed deletion a whole slice); afterwards the accountant
# is back where it started, the modules unload, and the kmemleak scan
# after the group and the runner's splat check find nothing.  Needs
# CONFIG_FAILSLAB (the debug kernel of make check-debug); skipped elsewhere.
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
FS=/sys/kernel/debug/failslab
FN="python3 $SB_TOP/selftests/progs/failnth.py"

if [ ! -d "$FS" ] || [ ! -e /proc/self/fail-nth ]; then
	skip "allocation failures in create and delete" \
		"kernel without CONFIG_FAILSLAB (make check-debug runs it)"
	done_testing
	exit 0
fi

check "load slicesim and every backend" \
	sb_modprobe vfio_iommu_type1 slicesim slicebus_vfio slicebus_vdpa slicebus_dma
counts() { $S -j dev show sim0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["dev"][0]["types"])'; }
before=$(counts)

# GFP_KERNEL allocations too; quiet (a stack dump per failure would read
# as a splat)
echo N > "$FS/ignore-gfp-wait"
echo 0 > "$FS/verbose"

run() {
	_d=$1
	shift
	_out=$($FN "$@" 2>&1)
	_rc=$?
	echo "$_out" | sed 's/^/# /' | head -n 12
	ok "$_rc" "$_d ($(echo "$_out" | head -n 1))"
}
run "slicebus slice-new, dma slice: every allocation failing in turn" sb-new sim0 dma fs-dma
run "slicebus slice-new, vdpa slice" sb-new sim0 vdpa fs-vdpa
run "slicebus slice-del, dma slice" sb-del sim0 dma fs-del
run "vdpa dev add (the vdpa tool's request)" vdpa-new sim0 fs-vd
# The VFIO core's own error path is out of scope: in 6.12 a failure in
# vfio_create_group() puts a group that still holds its iommu_group
# (WARN in vfio_group_release() and a leaked reference).  Its module's
# text is excluded through the stack-trace filter; mdev core, driver core
# and ours stay in.
vfio_text() {
	python3 - <<'EOF'
lo = hi = None
for line in open("/proc/kallsyms"):
    f = line.split()
    if len(f) == 4 and f[3] == "[vfio]" and f[1] in "tT":
        a = int(f[0], 16)
        lo = a if lo is None else min(lo, a)
        hi = a if hi is None else max(hi, a)
if lo:
    print(hex(lo), hex((hi | 0xfff) + 1))
EOF
}
# shellcheck disable=SC2046
set -- $(vfio_text)
if [ -e "$FS/reject-start" ] && [ $# -eq 2 ]; then
	echo "$1" > "$FS/reject-start"
	echo "$2" > "$FS/reject-end"
	run "mdev create through sysfs (VFIO core excluded)" \
		mdev-new /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16
	echo 0 > "$FS/reject-start"
	echo 0 > "$FS/reject-end"
else
	skip "mdev create through sysfs" \
		"no stack-trace filter or no vfio module: 6.12's VFIO core WARNs on its own allocation failures"
fi
echo Y > "$FS/ignore-gfp-wait"

check_eq "no slice is left" "$($S -j slice show)" '{"slice":[]}'
check_eq "no mdev is left" "$(ls /sys/bus/mdev/devices | wc -l)" 0
check_eq "no vdpa device is left" "$(vdpa dev show | wc -l)" 0
check_eq "the accountant is back where it started" "$(counts)" "$before"
check "a slice can still be made and deleted" \
	sh -c "$S slice add sim0 backend dma name after && $S slice del after"
check "everything unloads" \
	sb_rmmod slicebus_dma slicebus_vdpa slicebus_vfio slicesim slicebus
done_testing
