# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# A hostile VFIO user of a slice: bus mastering turned off under the
# device, buffers unmapped under descriptors in flight, malformed region
# accesses and ioctl arguments, resets under descriptors.  Sourced by
# t-hostile.sh.
VT=$SB_BUILD/selftests/vfio_test
SIMDBG=/sys/kernel/debug/slicesim/sim0
TR=/sys/kernel/tracing

# Run a TAP program and fold its results into ours, prefixed.
vfio_relay() {
	_prefix=$1
	shift
	"$@" > /tmp/vfio-hostile.out 2>&1
	_rc=$?
	while IFS= read -r _line; do
		case "$_line" in
		"ok "*) ok 0 "$_prefix: ${_line#ok * - }" ;;
		"not ok "*) ok 1 "$_prefix: ${_line#not ok * - }" ;;
		"#"*) echo "$_line" ;;
		esac
	done < /tmp/vfio-hostile.out
	[ "$_rc" -eq 0 ] ||
		grep -v '^ok\|^not ok\|^1\.\.' /tmp/vfio-hostile.out | sed 's/^/# /' | head
	return "$_rc"
}

# Count calls of the backend's dma_unmap notifier with a kprobe, if we can.
unmap_probe() {
	[ -w "$TR/kprobe_events" ] || return 1
	echo 'p:sbv_unmap slicebus_vfio:sbv_dma_unmap' >> "$TR/kprobe_events" 2>/dev/null ||
		return 1
	echo 1 > "$TR/events/kprobes/sbv_unmap/enable"
}
unmap_hits() { awk '$1 == "sbv_unmap" { print $2 }' "$TR/kprobe_profile"; }
unmap_probe_off() {
	echo 0 > "$TR/events/kprobes/sbv_unmap/enable" 2>/dev/null
	echo '-:sbv_unmap' >> "$TR/kprobe_events" 2>/dev/null
}

if [ ! -c /dev/vfio/vfio ] && ! modprobe vfio_iommu_type1 2>/dev/null; then
	skip "hostile VFIO user" "no VFIO in this kernel"
elif ! sb_modprobe vfio_iommu_type1 slicesim slicebus_vfio; then
	ok 1 "vfio: load slicesim and slicebus_vfio"
else
	u=$($SLICECTL slice add sim0 type dwq-16 backend vfio)
	echo 200000 > "$SIMDBG/delay_us"
	vfio_relay "vfio bus master" "$VT" -b "$u"
	check "vfio: bus master off keeps the device off guest memory" test $? -eq 0
	vfio_relay "vfio attacks" "$VT" -a "$u"
	check "vfio: malformed accesses refused, resets leave nothing in flight" test $? -eq 0
	echo 0 > "$SIMDBG/delay_us"
	$SLICECTL slice del "$u"
	sb_rmmod slicesim

	# the mediated path pins the user's pages: the unmap notifier matters
	SB_ARGS_slicesim=mediate=1
	sb_modprobe slicesim
	SB_ARGS_slicesim=
	u=$($SLICECTL slice add sim0 type dwq-16 backend vfio)
	echo 20000 > "$SIMDBG/delay_us"
	vfio_relay "vfio mediated attacks" "$VT" -a "$u"
	check "vfio: the same on the mediated path" test $? -eq 0
	if unmap_probe; then
		n=40
		vfio_relay "vfio unmap race" "$VT" -U "$n" "$u"
		check "vfio: unmapping under racing submissions writes nothing after" test $? -eq 0
		hits=$(unmap_hits)
		unmap_probe_off
		diag "dma_unmap notifications: $hits for $n unmaps"
		check "vfio: one unmap notification per unmap at most: pins are fenced until type1 drops the mapping" \
			test "$hits" -le "$n"
	else
		vfio_relay "vfio unmap race" "$VT" -U 40 "$u"
		check "vfio: unmapping under racing submissions writes nothing after" test $? -eq 0
		skip "vfio: unmap notifications counted" "no kprobe events in this kernel"
	fi
	echo 0 > "$SIMDBG/delay_us"
	$SLICECTL slice del "$u"
	check "vfio: everything unloads" sb_rmmod slicebus_vfio slicesim slicebus_dsa slicebus
fi
