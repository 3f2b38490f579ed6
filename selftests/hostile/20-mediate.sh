# SPDX-License-Identifier: GPL-2.0
# A hostile VFIO user, unprivileged, of a slice's virtual DSA (8086:0b25,
# enabled with DSA commands, descriptors written to WQ 0's portals), on its
# direct path (mediate=0: the engine reaches the user's IOVAs through VFIO)
# and on the mediated path (mediate=1: the core translates the user's
# descriptors for DMA-address-only hardware and bounces their operands):
# operands that wrap past 2^64, run past a mapping's end or straddle mapped
# and unmapped IOVA, and the largest batches of the largest DUALCASTs.  The
# program (progs/vfio_hostile.c) checks every status and its canaries; this
# part adds the kernel log.
# Sourced by t-hostile.sh.

MED_VH=$SB_BUILD/selftests/vfio_hostile
MED_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# Run a TAP program, fold its results into ours with a prefix.
med_relay() {
	_p=$1
	shift
	"$@" > /tmp/med_relay.out 2>&1
	_rc=$?
	while IFS= read -r _l; do
		case "$_l" in
		"ok "*) ok 0 "$_p: ${_l#ok * - }" ;;
		"not ok "*) ok 1 "$_p: ${_l#not ok * - }" ;;
		"#"*) echo "$_l" ;;
		esac
	done < /tmp/med_relay.out
	[ "$_rc" -eq 0 ] || grep -v '^ok\|^not ok\|^1\.\.\|^#' /tmp/med_relay.out | sed 's/^/# /' | head
	return "$_rc"
}

# The kernel log's lines that say the kernel went wrong.
med_splats() {
	dmesg | grep -E 'BUG|WARNING|Oops|usercopy|general protection|KASAN|slab-out-of-bounds' | wc -l
}

# One slice of sim0 given to nobody, as a VM's user would get it: the
# group's device node is the user's, nothing else is.
med_attack() {
	_path=$1
	_flag=$2
	_u=$($SLICECTL slice add sim0 type dwq-16 backend vfio)
	_g=$(basename "$(readlink "/sys/bus/mdev/devices/$_u/iommu_group")")
	chown 65534:65534 "/dev/vfio/$_g"
	check "$_path: the mdev's group is nobody's, /dev/vfio/vfio is world-usable" \
		sh -c "$MED_NOBODY test -r /dev/vfio/$_g -a -w /dev/vfio/vfio"
	# slow the engine, so that the largest batches pile up in the queue
	echo 300000 > /sys/kernel/debug/slicesim/sim0/delay_us
	_before=$(med_splats)
	# shellcheck disable=SC2086
	med_relay "$_path" $MED_NOBODY "$MED_VH" $_flag "$_u"
	ok $? "$_path: every hostile descriptor completed as a DSA device completes it"
	check_eq "$_path: the kernel log stays clean" "$(med_splats)" "$_before"
	echo 0 > /sys/kernel/debug/slicesim/sim0/delay_us
	$SLICECTL slice del "$_u"
}

check "load vfio, slicesim (direct) and slicebus_vfio" \
	sb_modprobe vfio_iommu_type1 slicesim slicebus_vfio
if [ ! -c /dev/vfio/vfio ] || ! command -v setpriv > /dev/null; then
	skip "hostile VFIO user on the direct and mediated paths" \
		"no /dev/vfio/vfio or no setpriv"
else
	med_attack direct ""
	sb_rmmod slicesim
	SB_ARGS_slicesim=mediate=1
	check "reload slicesim as DMA-only hardware (mediate=1)" sb_modprobe slicesim
	SB_ARGS_slicesim=
	med_attack mediated -m
fi
check "everything unloads" sb_rmmod slicebus_vfio slicesim slicebus_dsa slicebus
