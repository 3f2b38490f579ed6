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
# Error paths of other subsystems that 6.12 gets wrong are left out
# through the stack-trace filter (reject-start/reject-end: no allocation
# made under that text fails or counts):
# - dmaengine's channel registration frees a device that failed
#   device_register() with kfree(), leaking its name;
# - the VFIO core's vfio_create_group() puts a group that still holds its
#   IOMMU group (a WARN in vfio_group_release() and a leaked reference).
# virtio_net's probe leaks its RSS header and XPS maps when it fails: the
# vdpa cases run with the vdpa bus's autoprobe off, so that no driver
# binds the new device (slicebus, the vdpa core and the driver core stay
# in).
# text_range "[module]" | FUNCTION: the text to leave out, "start end"
text_range() {
	python3 - "$1" <<'EOF'
import sys
what = sys.argv[1]
starts, lo, hi = [], None, None
for line in open("/proc/kallsyms"):
    f = line.split()
    if f[1] not in ("t", "T"):
        continue
    a = int(f[0], 16)
    starts.append(a)
    if what.startswith("[") and f[3:] == [what]:
        lo = a if lo is None else min(lo, a)
        hi = a if hi is None else max(hi, a)
    elif f[2] == what and len(f) == 3:
        lo = hi = a
if not lo:
    sys.exit(0)
if what.startswith("["):
    print(hex(lo), hex((hi | 0xfff) + 1))
else:
    print(hex(lo), hex(min(x for x in starts if x > lo)))
EOF
}
# run_without TEXT DESCRIPTION OP ARGS...
run_without() {
	_t=$1 _d=$2
	shift 2
	_r=$(text_range "$_t")
	if [ ! -e "$FS/reject-start" ] || [ -z "$_r" ]; then
		skip "$_d" "no stack-trace filter or no $_t in kallsyms; 6.12's error path there is not ours to test"
		return
	fi
	echo "${_r% *}" > "$FS/reject-start"
	echo "${_r#* }" > "$FS/reject-end"
	run "$_d ($_t left out)" "$@"
	echo 0 > "$FS/reject-start"
	echo 0 > "$FS/reject-end"
}

run_without __dma_async_device_channel_register \
	"slicebus slice-new, dma slice: every allocation failing in turn" sb-new sim0 dma fs-dma
run "slicebus slice-del, dma slice" sb-del sim0 dma fs-del
echo 0 > /sys/bus/vdpa/drivers_autoprobe
run "slicebus slice-new, vdpa slice (no vdpa driver binds)" sb-new sim0 vdpa fs-vdpa
run "vdpa dev add, the vdpa tool's request (no vdpa driver binds)" vdpa-new sim0 fs-vd
echo 1 > /sys/bus/vdpa/drivers_autoprobe
run_without "[vfio]" "mdev create through sysfs" \
	mdev-new /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16
echo Y > "$FS/ignore-gfp-wait"

check_eq "no slice is left" "$($S -j slice show)" '{"slice":[]}'
check_eq "no mdev is left" "$(ls /sys/bus/mdev/devices | wc -l)" 0
check_eq "no vdpa device is left" "$(vdpa dev show | wc -l)" 0
check_eq "the accountant is back where it started" "$(counts)" "$before"
check "a slice can still be made and deleted" \
	sh -c "$S slice add sim0 backend dma name after && $S slice del after"
check "everything unloads" \
	sb_rmmod slicebus_dma slicebus_vdpa slicebus_vfio slicesim slicebus_dsa slicebus
done_testing
