#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# slicebus_vfio: mdev types and the accountant, slicectl and mdevctl, a
# userspace VFIO driver on the device model (the virtual Intel DSA
# 8086:0b25, selftests/progs/vdsa.h), isolation, random accesses, removal
# while the device is open.
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
VT=$SB_BUILD/selftests/vfio_test
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

devq() {
	$S -j dev show sim0 |
		python3 -c "import json,sys; d=json.load(sys.stdin)['dev'][0]; print($1)"
}
avail() { devq "[t['available']['$2'] for t in d['types'] if t['name']=='$1'][0]"; }
TYPES=
ai() { cat "$TYPES/slicebus-$1/available_instances"; }

# Run a TAP program and fold its results into ours, prefixed.
relay() {
	prefix=$1
	shift
	"$@" > /tmp/relay.out 2>&1
	rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok "*) ok 0 "$prefix: ${line#ok * - }" ;;
		"not ok "*) ok 1 "$prefix: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done < /tmp/relay.out
	[ "$rc" -eq 0 ] || grep -v '^ok\|^not ok\|^1\.\.' /tmp/relay.out | sed 's/^/# /' | head
	return "$rc"
}

check "load vfio, slicesim and slicebus_vfio" \
	sb_modprobe vfio_iommu_type1 slicesim slicebus_vfio slicebus_dma
TYPES=$(devq 'd["sysfs"]')/mdev_supported_types
check "the device's sysfs directory holds mdev_supported_types" test -d "$TYPES"
check "it is an mdev parent" test -e /sys/class/mdev_bus/sim0
check_eq "one mdev type per slice type" "$(ls "$TYPES" | tr '\n' ' ')" \
	"slicebus-dwq-16 slicebus-dwq-64 "
check_eq "device_api is vfio-pci" "$(cat "$TYPES/slicebus-dwq-16/device_api")" vfio-pci
check "the description says what the guest sees" \
	grep -q "a virtual Intel DSA (8086:0b25) with one dedicated WQ" \
	"$TYPES/slicebus-dwq-64/description"
check_eq "available_instances are the accountant's" "$(ai dwq-16) $(ai dwq-64)" "8 2"

u1=$($S slice add sim0 type dwq-16 backend vfio)
check "slicectl slice add ... backend vfio prints a UUID" \
	sh -c "echo '$u1' | grep -Eqx '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'"
check "the mdev exists" test -d "/sys/bus/mdev/devices/$u1"
check "mdevctl lists it" sh -c "mdevctl list | grep -q '$u1 sim0 slicebus-dwq-16'"
check_eq "slicectl shows it with its UUID as handle" "$($S slice show "$u1")" \
	"$u1: dev sim0 type dwq-16 backend vfio handle $u1"
check_eq "available_instances dropped" "$(ai dwq-16) $(ai dwq-64)" "7 1"
u2=$($S slice add sim0 type dwq-16 backend vfio)

if [ -c /dev/vfio/vfio ]; then
	relay "vfio driver" "$VT" "$u1" "$u2"
	check "the userspace VFIO driver passes" test $? -eq 0
	relay "config" "$VT" -C "$u1"
	check "config space is reset for the next user" test $? -eq 0
	relay "vfio fuzz" "$VT" -f 100000 "$u1"
	check "100000 random region accesses and ioctls leave it working" test $? -eq 0
	echo 50000 > /sys/kernel/debug/slicesim/sim0/delay_us
	export VT_DELAY_FILE=/sys/kernel/debug/slicesim/sim0/delay_us
	relay "drain" "$VT" -D "$u1"
	check "DRAIN_WQ waits for the queued descriptors, ABORT_WQ drops them" test $? -eq 0
	unset VT_DELAY_FILE
	echo 0 > /sys/kernel/debug/slicesim/sim0/delay_us
else
	skip "userspace VFIO driver" "no /dev/vfio/vfio"
fi
$S slice del "$u2"
check_fail "slicectl slice del removes the mdev" test -d "/sys/bus/mdev/devices/$u2"

# mdevctl drives the same accountant
check "mdevctl types shows our counts" \
	sh -c "mdevctl types | grep -A1 'slicebus-dwq-16' | grep -q 'Available instances: 7'"
u3=$(mdevctl start -p sim0 -t slicebus-dwq-64)
check "mdevctl start creates a dwq-64" test -d "/sys/bus/mdev/devices/$u3"
check_eq "slicectl sees it" "$($S -j slice show "$u3" | python3 -c 'import json,sys; print(json.load(sys.stdin)["slice"][0]["type"])')" dwq-64
check_eq "counts moved" "$(ai dwq-16) $(ai dwq-64) $(avail dwq-16 vdpa)" "3 0 3"
check "mdevctl stop frees it" mdevctl stop -u "$u3"
check_eq "counts are back" "$(ai dwq-16) $(ai dwq-64)" "7 1"

# cross-backend agreement
dma=$($S slice add sim0 type dwq-16 backend dma)
u4=$($S slice add sim0 type dwq-64 backend vfio)
check_eq "after a dma and a dwq-64 vfio slice, available_instances = slicectl's vfio counts" \
	"$(ai dwq-16) $(ai dwq-64)" "$(avail dwq-16 vfio) $(avail dwq-64 vfio)"
check_eq "which are" "$(ai dwq-16) $(ai dwq-64)" "2 0"
check_fail "an mdev past capacity is refused" \
	sh -c "echo \$(cat /proc/sys/kernel/random/uuid) > $TYPES/slicebus-dwq-64/create"
check "with the accountant's reason in the kernel log" \
	sh -c "dmesg | grep -q 'no slice: sim0: not enough wq-entries (64 needed, 32 free)'"
check_eq "slicectl says so too" \
	"$($S slice add sim0 type dwq-64 backend vfio 2>&1)" \
	"Error: sim0: no room for a dwq-64 slice for vfio (see the kernel log for the accountant's reason)"
check_eq "a vfio slice name must be a UUID" \
	"$($S slice add sim0 backend vfio name foo 2>&1)" \
	'Error: vfio slice names are mdev UUIDs; "foo" is not one'
check_eq "a reservation for dma lowers available_instances" \
	"$($S dev set sim0 backend dma reserve wq 5 && ai dwq-16)" 1
$S dev set sim0 backend dma reserve wq 0
$S slice del "$dma"
$S slice del "$u4"
check_eq "all free" "$(ai dwq-16) $(ai dwq-64)" "7 1"

# removal while the device is open: request, then ordered teardown
if [ -c /dev/vfio/vfio ]; then
	"$VT" -r "$u1" > /tmp/hold.out 2>&1 &
	holder=$!
	for i in $(seq 50); do grep -q holding /tmp/hold.out && break; sleep 0.1; done
	check "the driver holds the device" grep -q holding /tmp/hold.out
	timeout 60 rmmod slicesim
	check_eq "rmmod slicesim completes once the driver lets go" "$?" 0
	wait "$holder"
	check "the driver got the request notification" grep -q "request received" /tmp/hold.out
else
	sb_rmmod slicesim
fi
check_eq "no mdev is left" "$(ls /sys/bus/mdev/devices | wc -l)" 0
check_eq "no slice is left" "$($S -j slice show)" '{"slice":[]}'
check "slicesim reloads" sb_modprobe slicesim
check_eq "with all capacity" "$(cat /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16/available_instances)" 8

# The mediated path: slicesim as DMA-address-only hardware (as idxd), the
# core translating the user's descriptors and bouncing their operands.
sb_rmmod slicesim
SB_ARGS_slicesim=mediate=1
check "slicesim loads as DMA-only hardware (mediate=1)" sb_modprobe slicesim
check_eq "it says so" "$(cat /sys/module/slicesim/parameters/mediate)" Y
SB_ARGS_slicesim=
m1=$($S slice add sim0 backend vfio)
m2=$($S slice add sim0 backend vfio)
if [ -c /dev/vfio/vfio ]; then
	# a slow engine, so that a burst fills the queue as on the direct path
	echo 200000 > /sys/kernel/debug/slicesim/sim0/delay_us
	SB_BURST_XFER=4096 relay "mediated" "$VT" "$m1" "$m2"
	check "the userspace VFIO driver passes on the mediated path" test $? -eq 0
	echo 0 > /sys/kernel/debug/slicesim/sim0/delay_us
	check "its descriptors went through the mediator, some operands pinned in place" \
		sh -c "awk '{ exit !(\$12 >= 20 && \$14 >= 1) }' /sys/bus/slicebus/devices/$m1/queue/stats"
	echo 300000 > /sys/kernel/debug/slicesim/sim0/delay_us
	relay "unmap" "$VT" -u "$m1"
	check "unmapping IOVA under pinned descriptors waits for them" test $? -eq 0
	stats=/sys/bus/slicebus/devices/$m1/queue/stats
	before=$(awk '{ print $12, $14 }' "$stats")
	relay "one line" "$VT" -o "$m1"
	check "four writes in flight into one cache line on the mediated path" test $? -eq 0
	check_eq "one mapped in place, three bounced: no line is mapped for writing twice" \
		"$(awk -v b="$before" '{ split(b, o); print "mediated", $12 - o[1], "pinned", $14 - o[2] }' "$stats")" \
		"mediated 4 pinned 1"
	echo 0 > /sys/kernel/debug/slicesim/sim0/delay_us
	relay "mediated fuzz" "$VT" -f 20000 "$m1"
	check "20000 random region accesses and ioctls on the mediated path" test $? -eq 0
else
	skip "userspace VFIO driver on the mediated path" "no /dev/vfio/vfio"
fi
$S slice del "$m1"
$S slice del "$m2"
check "a mediated parent unloads" sb_rmmod slicesim
sb_modprobe slicesim

# A work queue that goes away under one slice (as an administrator
# disabling a real one) takes that slice only: its VFIO user is told and
# refused from then on, the other slices keep working, the capacity follows,
# and the revoked slice stays, holding nothing, until its mdev is removed.
HP=/sys/kernel/debug/slicesim/sim0/wq_hotplug
res() { devq '" ".join("%s=%d/%d" % (r["name"], r["used"], r["total"]) for r in d["resources"])'; }
r1=$($S slice add sim0 type dwq-16 backend vfio)
r2=$($S slice add sim0 type dwq-16 backend vfio)
r3=$($S slice add sim0 type dwq-16 backend dma)
check_eq "three slices of 16" "$(res)" "wq=3/8 wq-entries=48/128"
before="$(ai dwq-16) $(ai dwq-64)"
$S -j monitor > /tmp/monr.json &
mon=$!
sleep 0.3
dmesg -C
if [ -c /dev/vfio/vfio ]; then
	echo 200000 > /sys/kernel/debug/slicesim/sim0/delay_us
	SB_HOTPLUG=$HP relay "revoked" "$VT" -R "$r1"
	check "the VFIO user of a revoked slice is told, and refused after" test $? -eq 0
	echo 0 > /sys/kernel/debug/slicesim/sim0/delay_us
else
	check "the WQ under a slice goes away" sh -c "echo revoke $r1 > $HP"
fi
check "the kernel says which slice was revoked" \
	sh -c "dmesg | grep -q 'slice $r1 revoked: its hardware went away'"
check_eq "slicectl shows it revoked" "$($S slice show "$r1")" \
	"$r1: dev sim0 type dwq-16 backend vfio handle $r1 revoked"
check_eq "so does its JSON" \
	"$($S -j slice show "$r1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["slice"][0].get("revoked"))')" \
	True
check_eq "the other slices are not" \
	"$($S -j slice show | python3 -c 'import json,sys; print(sorted(s["name"] for s in json.load(sys.stdin)["slice"] if not s.get("revoked")))')" \
	"$(python3 -c "print(sorted(['$r2', '$r3']))")"
check_eq "the device lost one WQ of 16, and the slice's charge with it" "$(res)" \
	"wq=2/7 wq-entries=32/112"
check_eq "what the others may take did not change" "$(ai dwq-16) $(ai dwq-64)" "$before"
if [ -c /dev/vfio/vfio ]; then
	check_eq "the other vfio slice still moves data" "$("$VT" -x "$r2")" "status 1"
fi
check "the dma slice is still there" $S slice show "$r3"
check_fail "a capacity in use cannot go away" sh -c "echo remove 100 > $HP"
check_eq "and nothing changed" "$(res)" "wq=2/7 wq-entries=32/112"
check_fail "an unknown slice cannot be revoked" sh -c "echo revoke nope > $HP"
check "the revoked mdev is removed" sh -c "echo 1 > /sys/bus/mdev/devices/$r1/remove"
check_fail "its slice with it" $S slice show "$r1"
check_eq "which gave nothing back twice" "$(res)" "wq=2/7 wq-entries=32/112"
check "a WQ of 16 comes back" sh -c "echo add 16 > $HP"
check_eq "with its capacity" "$(res)" "wq=2/8 wq-entries=32/128"
check_eq "available_instances follow" "$(ai dwq-16) $(ai dwq-64)" "6 1"
check "vdpa reserves 6 wq" $S dev set sim0 backend vdpa reserve wq 6
check "a free WQ of 16 goes away" sh -c "echo remove 16 > $HP"
check_eq "vdpa's reservation is lowered to what is left" \
	"$(devq '[b["reserve"]["wq"] for b in d["backends"] if b["name"]=="vdpa"][0]')" 5
check "and the kernel says so" \
	sh -c "dmesg | grep -q \"wq shrank to 7: backend vdpa's reservation of it lowered to 5\""
$S dev set sim0 backend vdpa reserve wq 0
echo add 16 > $HP
sleep 0.3
kill "$mon"
check_eq "monitor: one slice-change, revoked, then a dev-change" \
	"$(python3 -c '
import json
ev = [json.loads(l) for l in open("/tmp/monr.json")]
names = [e["event"] for e in ev]
i = names.index("slice-change")
print(names.count("slice-change"), ev[i]["slice"].get("revoked"), names[i + 1])')" \
	"1 True dev-change"
$S slice del "$r2"
$S slice del "$r3"
check_eq "all of it back" "$(res) $(ai dwq-16) $(ai dwq-64)" "wq=0/8 wq-entries=0/128 8 2"

# A VFIO user that ignores the request to give its mdev back holds up the
# removal of that parent only: reads, slices on the other parent and
# backend modules answer meanwhile; the removal completes once the user
# lets go.
sb_rmmod slicesim
SB_ARGS_slicesim=ndev=2
check "slicesim loads with two devices (ndev=2)" sb_modprobe slicesim
SB_ARGS_slicesim=
SIMDRV=/sys/bus/platform/drivers/slicesim
# quick CMD...: CMD answers within a second (SB_QUICK_SECONDS: the debug
# kernel's lane gives it longer), while sim0's removal still
# waits for its user (three tries against a loaded host; a request that
# waits for the removal times out until the user's 30 s are over, so it
# fails all of them).  Output in /tmp/quick.out.
quick() {
	for _try in 1 2 3; do
		timeout "${SB_QUICK_SECONDS:-1}" "$@" > /tmp/quick.out 2>&1
		_rc=$?
		if [ -e /tmp/unbind.rc ]; then
			echo "# sim0's removal had completed meanwhile" >> /tmp/quick.out
			return 124
		fi
		[ "$_rc" -ne 124 ] && return "$_rc"
	done
	return 124
}
if [ -c /dev/vfio/vfio ] && command -v setpriv > /dev/null; then
	h=$($S slice add sim0 backend vfio)
	d0=$($S slice add sim0 type dwq-16 backend dma)
	rm -f /tmp/release /tmp/unbind.rc
	mkfifo /tmp/release
	# the user keeps the device for 30 s at most, whatever the kernel does
	"$VT" -i 30 "$h" < /tmp/release > /tmp/ignore.out 2>&1 &
	holder=$!
	exec 3> /tmp/release
	for i in $(seq 50); do grep -q holding /tmp/ignore.out && break; sleep 0.1; done
	check "a user holds an mdev of sim0" grep -q holding /tmp/ignore.out
	(echo slicesim.0 > $SIMDRV/unbind; echo $? > /tmp/unbind.rc) &
	for i in $(seq 150); do grep -q "request ignored" /tmp/ignore.out && break; sleep 0.1; done
	check "it ignores the request to release it" grep -q "request ignored" /tmp/ignore.out
	check "the removal of sim0 waits for it" test ! -e /tmp/unbind.rc
	check "slicectl dev show answers within a second" quick $S dev show
	check "so it does for an unprivileged user" quick $NOBODY $S -j dev show
	check "and slice show" quick $NOBODY $S slice show
	quick $S -j dev show sim0
	check_eq "sim0 offers nothing while it is being removed" \
		"$(python3 -c 'import json,sys; print(sorted(set(n for t in json.load(sys.stdin)["dev"][0]["types"] for n in t["available"].values())))' < /tmp/quick.out)" \
		"[0]"
	check_eq "a slice add on sim0 is refused at once, with the reason" \
		"$(quick $S slice add sim0 backend dma; cat /tmp/quick.out)" \
		"Error: sim0 is being removed"
	check_eq "so is a slice del there (the removal takes its slices)" \
		"$(quick $S slice del "$d0"; cat /tmp/quick.out)" \
		"Error: sim0 is being removed"
	check "a dma slice add on sim1 answers within a second" \
		quick $S slice add sim1 type dwq-16 backend dma
	check "and its slice del" quick $S slice del "$(cat /tmp/quick.out)"
	check "a vfio slice add on sim1 answers within a second" \
		quick $S slice add sim1 backend vfio
	v=$(cat /tmp/quick.out)
	check "the mdev is there" test -d "/sys/bus/mdev/devices/$v"
	check "and its slice del" quick $S slice del "$v"
	# a backend unloads (taking its slice on sim0 along) and loads again
	check "rmmod slicebus_dma meanwhile" timeout 5 rmmod slicebus_dma
	check_fail "its slice on sim0 went with it" $S slice show "$d0"
	check "and it loads again" timeout 5 insmod "$(sb_ko slicebus_dma)"
	check "serving sim1" quick $S slice add sim1 type dwq-16 backend dma
	check "and its slice del" quick $S slice del "$(cat /tmp/quick.out)"
	check "the removal of sim0 is still waiting" test ! -e /tmp/unbind.rc
	exec 3>&-
	wait "$holder"
	check "the user let go when told to" grep -q releasing /tmp/ignore.out
	for i in $(seq 100); do test -s /tmp/unbind.rc && break; sleep 0.1; done
	check_eq "then the removal completes" "$(cat /tmp/unbind.rc 2>&1)" 0
	check_fail "sim0 is gone" $S dev show sim0
	check "sim1 is still there" $S dev show sim1
	check "sim0 comes back" sh -c "echo slicesim.0 > $SIMDRV/bind"
	check_eq "with all capacity" "$(avail dwq-16 vfio) $(avail dwq-64 vfio)" "8 2"
	rm -f /tmp/release /tmp/unbind.rc
else
	skip "a user ignoring the request blocks only its parent" "no /dev/vfio/vfio or no setpriv"
fi
sb_rmmod slicesim
sb_modprobe slicesim

u5=$($S slice add sim0 backend vfio)
check "rmmod slicebus_vfio with an mdev removes it" sb_rmmod slicebus_vfio
check_fail "the mdev is gone" test -d "/sys/bus/mdev/devices/$u5"
check_eq "and its slice" "$($S -j slice show)" '{"slice":[]}'
check "everything unloads" sb_rmmod slicebus_dma slicesim slicebus_dsa slicebus
done_testing
