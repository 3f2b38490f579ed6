# SPDX-License-Identifier: GPL-2.0
# Sourced by t-hostile.sh.  A vhost-vdpa user that names memory it never
# mapped (no IOTLB at all, host physical addresses, unmapped and
# straddling IOVAs, read-only receive buffers, ring indices past the ring)
# and a fuzzer over rings with no, partial and read-only mappings.

# Run one mode of the hostile vhost user; its TAP lines become checks.
vhost_hostile() {
	_out=$("$SB_BUILD/selftests/vhost_hostile" "$@" 2>&1)
	_rc=$?
	_seen=0
	while IFS= read -r _l; do
		case "$_l" in
		"ok "*"# SKIP"*) _seen=1; skip "vhost $2: ${_l#ok * - }" "see above" ;;
		"ok "*) _seen=1; ok 0 "vhost $2: ${_l#ok * - }" ;;
		"not ok "*) _seen=1; ok 1 "vhost $2: ${_l#not ok * - }" ;;
		"# "*) echo "$_l" ;;
		esac
	done <<EOT
$_out
EOT
	[ "$_seen" = 1 ] || ok 1 "vhost_hostile $* ran (status $_rc: $_out)"
}

# Twice: slicesim reaching the user's memory through the device's maps, and
# slicesim as DMA-only hardware (mediate=1), where the core's mediated path
# bounces every operand the maps resolve.
for SB_ARGS_slicesim in "" mediate=1; do
how=${SB_ARGS_slicesim:-direct}
check "load slicesim ($how), slicebus_vdpa, vhost_vdpa" sb_modprobe slicesim slicebus_vdpa vhost_vdpa
vdpa dev add name hv0 mgmtdev sim0
vdpa_cur=$(basename "$(readlink /sys/bus/vdpa/devices/hv0/driver 2>/dev/null)" 2>/dev/null)
[ "$vdpa_cur" = vhost_vdpa ] || {
	[ -n "$vdpa_cur" ] && echo hv0 > "/sys/bus/vdpa/drivers/$vdpa_cur/unbind"
	echo hv0 > /sys/bus/vdpa/drivers/vhost_vdpa/bind
}
chr=/dev/$(ls /sys/bus/vdpa/devices/hv0/ | grep vhost-vdpa)
check "a vhost-vdpa char device ($chr)" test -c "$chr"
vhost_hostile "$chr" phys
vhost_hostile "$chr" iotlb
vhost_hostile "$chr" fuzz "${SB_VHOST_FUZZ_ROUNDS:-300}" "${SB_SEED:-$$}"
if [ "$how" = mediate=1 ]; then
	check "the attacks went through the mediated path" \
		sh -c "awk '{ exit !(\$12 > 0) }' /sys/bus/slicebus/devices/hv0/queue/stats"
fi
check "vdpa dev del after the attacks ($how)" vdpa dev del hv0
check "everything unloads" sb_rmmod vhost_vdpa slicebus_vdpa slicesim slicebus_dsa slicebus
done
SB_ARGS_slicesim=
