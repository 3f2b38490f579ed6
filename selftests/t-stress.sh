#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reliability: every entry point at once against one accountant, injected
# faults, hot-unplug with users active, 100,000 random netlink messages,
# in-kernel clients giving slices back while their device goes,
# permissions.  Knobs: SB_STRESS_SECONDS (20), SB_UNPLUG_CYCLES (20).
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
T=${SB_STRESS_SECONDS:-20}
CYCLES=${SB_UNPLUG_CYCLES:-20}
DBG=/sys/kernel/debug/slicesim/sim0
YNL_DIR=$SB_BUILD/linux-src/tools/net/ynl
# 6.14 moved the CLI and its library into pyynl/
[ -f "$YNL_DIR/pyynl/cli.py" ] && YNL_DIR=$YNL_DIR/pyynl
SPEC=$SB_TOP/Documentation/netlink/specs/slicebus.yaml
SCHEMA=$SB_BUILD/linux-src/Documentation/netlink/genetlink.yaml
TYPES=/sys/class/slicebus/sim0/mdev_supported_types
DMATEST=$SB_BUILD/peer/dmatest/dmatest.ko
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

devq() {
	$S -j dev show sim0 |
		python3 -c "import json,sys; d=json.load(sys.stdin)['dev'][0]; print($1)"
}
avail() { devq "[t['available']['$2'] for t in d['types'] if t['name']=='$1'][0]"; }
ai() { cat "$TYPES/slicebus-$1/available_instances"; }
all_free() { devq '[r["used"] for r in d["resources"]]'; }

check "load everything" sb_modprobe vfio_iommu_type1 slicesim slicebus_dma \
	slicebus_vfio slicebus_vdpa

# 1. every entry point at once -------------------------------------------
end=$(( $(date +%s) + T ))
worker() {	# name, then the body of one iteration using $i
	n=0 i=0
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		if eval "$2" > /dev/null 2>&1; then n=$((n + 1)); fi
	done
	echo "$n" > "/tmp/ops.$1"
}
worker slicectl-dma '$S slice add sim0 backend dma name wd$i && $S slice del wd$i' &
worker slicectl-vdpa '$S slice add sim0 type dwq-16 backend vdpa name ws$i && $S slice del ws$i' &
worker mdev-sysfs 'u=$(cat /proc/sys/kernel/random/uuid); echo $u > $TYPES/slicebus-dwq-16/create && echo 1 > /sys/bus/mdev/devices/$u/remove' &
worker mdevctl 'u=$(mdevctl start -p sim0 -t slicebus-dwq-16) && mdevctl stop -u $u' &
worker vdpa-tool 'vdpa dev add name wv$i mgmtdev sim0 && vdpa dev del wv$i' &
worker policy 'b=$(shuf -n1 -e vfio vdpa dma); $S dev set sim0 backend $b reserve wq $(shuf -i0-3 -n1) limit wq $(shuf -n1 -e none 4 6 8)' &
python3 "$SB_TOP/selftests/progs/ynl_churn.py" "$YNL_DIR" "$SPEC" "$SCHEMA" "$T" sim0 dma yc > /tmp/ops.ynl 2>&1 &
insmod "$SB_TOP/selftests/modules/sb_client_test.ko" churn="$T" > /tmp/ops.kernel 2>&1 &
out=$(python3 "$SB_TOP/selftests/progs/sb_check.py" --loop "$T" "$S")
rc=$?
wait
echo "$out" | sed 's/^/# /'
for w in slicectl-dma slicectl-vdpa mdev-sysfs mdevctl vdpa-tool policy; do
	diag "$w: $(cat /tmp/ops.$w) operations"
done
diag "ynl: $(cat /tmp/ops.ynl)"
diag "in-kernel: $(dmesg | grep 'sb_client_test: churn' | tail -n 1 | sed 's/.*churn: //')"
check_eq "the checker saw no violation in $T s of concurrent use" "$rc" 0
check "every entry point got work done" sh -c \
	'for w in slicectl-dma slicectl-vdpa mdev-sysfs mdevctl vdpa-tool; do [ "$(cat /tmp/ops.$w)" -gt 0 ] || exit 1; done; grep -q "ops [1-9]" /tmp/ops.ynl'
check "the in-kernel churn saw no bad completion" \
	sh -c "dmesg | grep -q 'sb_client_test: churn: [1-9][0-9]* slices .* 0 bad'"
rmmod sb_client_test 2> /dev/null
for b in vfio vdpa dma; do $S dev set sim0 backend $b reserve wq 0 limit wq none; done
check_eq "at the end everything is free" "$(all_free)" "[0, 0]"
check_eq "and every view agrees" "$(ai dwq-16) $(avail dwq-16 vfio) $(avail dwq-16 vdpa) $(vdpa dev show | wc -l)" "8 8 8 0"
check "the final state passes the checker" sh -c "$S -j dev show | python3 $SB_TOP/selftests/progs/sb_check.py"

# 2. injected faults -----------------------------------------------------
before=$($S -j dev show)
echo 1 > $DBG/fail_alloc
check_eq "an allocation failure reaches slicectl" \
	"$($S slice add sim0 backend dma 2>&1)" \
	"Error: sim0: provider refused the slice (-12)"
echo 1 > $DBG/fail_alloc
check_fail "mdev create fails with the error" \
	sh -c "cat /proc/sys/kernel/random/uuid > $TYPES/slicebus-dwq-16/create"
check "and says why in the kernel log" \
	sh -c "dmesg | grep -q 'no slice: sim0: provider refused the slice (-12)'"
echo 1 > $DBG/fail_alloc
check_eq "vdpa dev add gets the error" \
	"$(vdpa dev add name fv mgmtdev sim0 2>&1)" "kernel answers: Cannot allocate memory"
echo 1 > $DBG/fail_alloc
check_fail "the in-kernel API gets the error" \
	insmod "$SB_TOP/selftests/modules/sb_client_test.ko"
check_eq "failed allocations leave the accountant as it was" "$($S -j dev show)" "$before"

u=$($S slice add sim0 backend vfio)
echo 1 > $DBG/fail_desc
check_eq "a VFIO user sees a hardware error status" \
	"$("$SB_BUILD/selftests/vfio_test" -x "$u")" "status 32"
check_eq "and the next descriptor succeeds" \
	"$("$SB_BUILD/selftests/vfio_test" -x "$u")" "status 1"
if [ -f "$DMATEST" ]; then
	chan=$(cat "/sys/bus/slicebus/devices/$($S slice add sim0 backend dma name fd)/handle")
	echo 5 > $DBG/fail_desc
	insmod "$DMATEST" iterations=100 channel="$chan" timeout=10000 run=1
	cat /sys/module/dmatest/parameters/wait > /dev/null
	check "dmatest counts the 5 failed descriptors" \
		sh -c "dmesg | grep -q 'dmatest: $chan-copy0: summary 100 tests, 5 failures'"
	rmmod dmatest
	$S slice del fd
else
	skip "dmatest with failing descriptors" "no dmatest"
fi
echo 20000 > $DBG/delay_us
check "with a slow engine a burst fills the WQ exactly" \
	sh -c "'$SB_BUILD/selftests/vfio_test' '$u' | grep -q 'a burst of 64 on a 16-entry WQ: 48 refused'"
echo 0 > $DBG/delay_us
$S slice del "$u"
sb_modprobe virtio_vdpa virtio_net
vdpa dev add name fv mgmtdev sim0
ifn=$(ls /sys/bus/vdpa/devices/fv/virtio*/net/)
echo 1 > "/proc/sys/net/ipv6/conf/$ifn/disable_ipv6"	# only our frames
ip link set "$ifn" up
sleep 1
echo 3 > $DBG/fail_desc
out=$(timeout 60 python3 "$SB_TOP/selftests/progs/vdpa_loop.py" "$ifn" 20)
check_eq "failed copies drop exactly those frames on the vdpa path" "$out" \
	"sent 20 received 17 corrupted 0 lost 3"
vdpa dev del fv
check_eq "after all the faults everything is free" "$(all_free)" "[0, 0]"

# 3. hot-unplug with users active ----------------------------------------
ok_cycles=0
for c in $(seq "$CYCLES"); do
	u=$($S slice add sim0 backend vfio)
	"$SB_BUILD/selftests/vfio_test" -r "$u" > /tmp/hold.out 2>&1 &
	holder=$!
	vdpa dev add name hp mgmtdev sim0
	ifn=$(ls /sys/bus/vdpa/devices/hp/virtio*/net/)
	ip link set "$ifn" up
	python3 "$SB_TOP/selftests/progs/vdpa_loop.py" "$ifn" 100000000 > /dev/null 2>&1 &
	traffic=$!
	if [ -f "$DMATEST" ]; then
		chan=$(cat "/sys/bus/slicebus/devices/$($S slice add sim0 backend dma)/handle")
		insmod "$DMATEST" iterations=0 channel="$chan" timeout=2000 run=1
	fi
	for i in $(seq 50); do grep -q holding /tmp/hold.out && break; sleep 0.1; done
	t0=$(date +%s)
	if [ $((c % 2)) -eq 0 ]; then
		timeout 60 sh -c 'echo slicesim.0 > /sys/bus/platform/drivers/slicesim/unbind'
	else
		timeout 60 rmmod slicesim
	fi
	rc=$?
	t1=$(date +%s)
	wait "$holder"
	kill "$traffic" 2> /dev/null
	wait "$traffic" 2> /dev/null
	if [ -f "$DMATEST" ]; then
		echo 0 > /sys/module/dmatest/parameters/run
		rmmod dmatest
	fi
	left=$(ls /sys/bus/slicebus/devices | wc -l)
	if [ "$rc" -eq 0 ] && [ "$left" -eq 0 ] && grep -q "request received" /tmp/hold.out &&
	   [ "$(ls /sys/class/dma | wc -l)" -eq 0 ] && [ "$(vdpa dev show | wc -l)" -eq 0 ] &&
	   [ "$(ls /sys/bus/mdev/devices | wc -l)" -eq 0 ]; then
		ok_cycles=$((ok_cycles + 1))
	else
		diag "cycle $c: status $rc, $left slices left, $(($t1 - $t0)) s"
	fi
	if [ $((c % 2)) -eq 0 ]; then
		echo slicesim.0 > /sys/bus/platform/drivers/slicesim/bind
	else
		sb_modprobe slicesim
	fi
	dmesg -C
done
check_eq "$CYCLES hot-unplug cycles (rmmod and unbind, VFIO open, vdpa traffic, dmatest) tear down in order" \
	"$ok_cycles" "$CYCLES"
check_eq "the device comes back whole" "$(all_free) $(ai dwq-16)" "[0, 0] 8"

# 3b. in-kernel clients give slices back while their device goes ----------
# (a put that races with the device's removal waits for that teardown)
insmod "$SB_TOP/selftests/modules/sb_client_test.ko" churn=15 unplug=1 \
	> /tmp/churn.out 2>&1 &
churner=$!
sleep 1
unplugs=0
for c in $(seq 20); do
	if [ $((c % 2)) -eq 0 ]; then
		echo slicesim.0 > /sys/bus/platform/drivers/slicesim/unbind &&
			echo slicesim.0 > /sys/bus/platform/drivers/slicesim/bind &&
			unplugs=$((unplugs + 1))
	else
		rmmod slicesim && sb_modprobe slicesim && unplugs=$((unplugs + 1))
	fi
	sleep 0.2
done
wait "$churner"
rc=$?
cat /tmp/churn.out
rmmod sb_client_test 2> /dev/null
diag "in-kernel during removals: $(dmesg | grep 'sb_client_test: churn' | tail -n 1 | sed 's/.*churn: //')"
check_eq "20 removals while in-kernel clients take and give back slices" \
	"$unplugs $rc" "20 0"
check "the clients saw their device go and come back, and nothing misbehaved" \
	sh -c "dmesg | grep 'sb_client_test: churn' | tail -n 1 | grep -q '[1-9][0-9]* slices .* [1-9][0-9]* refused, [0-9]* taken away, 0 bad'"
check_eq "everything is free after" "$(all_free) $(ai dwq-16)" "[0, 0] 8"

# 4. random netlink messages ----------------------------------------------
before=$($S -j dev show; $S -j slice show)
out=$("$SB_BUILD/selftests/nlfuzz" 100000 7 nope wq dwq-64 x sim0.1)
check "100000 random netlink messages as root ($out)" test $? -eq 0
check_eq "leave the state unchanged" "$($S -j dev show; $S -j slice show)" "$before"

# 5. permissions ------------------------------------------------------------
check_eq "no slicebus or mdev sysfs file is writable by others" \
	"$(find /sys/bus/slicebus/ /sys/class/slicebus/sim0/ -type f -perm /o+w 2> /dev/null | wc -l)" 0
check_fail "a non-root user cannot create an mdev" \
	$NOBODY sh -c "cat /proc/sys/kernel/random/uuid > $TYPES/slicebus-dwq-16/create"
check_fail "nor touch the fault injection knobs" $NOBODY sh -c "echo 1 > $DBG/fail_alloc"
check_eq "nor change anything through netlink" \
	"$($NOBODY $S dev set sim0 backend dma reserve wq 1 2>&1)" \
	"Error: Operation not permitted (this needs CAP_NET_ADMIN)"
check "everything unloads" sb_rmmod virtio_net virtio_vdpa slicebus_vdpa \
	slicebus_vfio slicebus_dma slicesim slicebus_dsa slicebus
done_testing
