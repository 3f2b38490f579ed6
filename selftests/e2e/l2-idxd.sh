#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the nested guest (L2) of make check-e2e, booted by vm-run.sh inside
# L1 with a slice assigned (-device vfio-pci,sysfsdev=...): the guest's
# own idxd driver (the kernel's, built by scripts/build-guest-idxd.sh with
# the TCG patch), accel-config and dmatest on the virtual DSA; then
# slicebus and slicebus_idxd on top of the guest's DSA work queue.
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
S=$SLICECTL
IDXD=$SB_BUILD/guest-idxd/drivers/dma/idxd
DMATEST=$SB_BUILD/peer/dmatest/dmatest.ko
P=/sys/module/dmatest/parameters
ITER=${SB_E2E_ITERATIONS:-3000}

dev=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x8086 ] && [ "$(cat "$d/device")" = 0x0b25 ] && dev=$d
done
check "the guest sees a PCI 8086:0b25 (Intel DSA)" test -n "$dev"
diag "device ${dev##*/}"

# what the guest's idxd differs in from the kernel's: the test-only patch
while IFS= read -r l; do diag "idxd-tcg.patch: $l"; done < "$SB_TOP/selftests/e2e/idxd-tcg.patch"
check "the guest's idxd (test build) loads" sh -c "insmod $IDXD/idxd_bus.ko && insmod $IDXD/idxd.ko"
check "idxd probed it: dsa0" sh -c 'for i in $(seq 30); do [ -e /sys/bus/dsa/devices/dsa0 ] && exit 0; sleep 1; done; exit 1'
check_eq "dsa0 is enabled (a read-only device enables itself)" \
	"$(cat /sys/bus/dsa/devices/dsa0/state 2>/dev/null)" enabled
dmesg | grep -E 'idxd' | tail -n 5 | while IFS= read -r l; do diag "$l"; done

list=$(accel-config list -i 2>&1)
check "accel-config list shows the device, group, engine and WQ" \
	sh -c "echo '$list' | grep -q '\"dev\":\"dsa0\"' &&
	       echo '$list' | grep -q 'group0.0' && echo '$list' | grep -q 'engine0.0' &&
	       echo '$list' | grep -q 'wq0.0'"
[ "${SB_VERBOSE:-0}" = 1 ] && echo "$list" | sed 's/^/# /'
check "accel-config config-wq --type=kernel --name=sbe2e --driver-name=dmaengine" \
	accel-config config-wq dsa0/wq0.0 --type=kernel --name=sbe2e --driver-name=dmaengine
out=$(accel-config enable-wq dsa0/wq0.0 2>&1)
rc=$?
# a script on a real host tolerates "already enabled" for a device that
# enabled itself; the WQ is not enabled before this
check "accel-config enable-wq dsa0/wq0.0 ($out)" test "$rc" -eq 0
chan=$(ls /sys/class/dma 2>/dev/null | head -n 1)
check "the WQ is a dmaengine channel ($chan)" test -n "$chan"

insmod "$DMATEST" iterations="$ITER" threads_per_chan=2 timeout=30000 &&
	echo "$chan" > $P/channel && echo 1 > $P/run && cat $P/wait > /dev/null
sum=$(dmesg | grep 'dmatest: .*summary')
echo "$sum" | while IFS= read -r l; do diag "$l"; done
check_eq "dmatest: 2 threads x $ITER iterations, 0 failures (interrupt mode)" \
	"$(echo "$sum" | grep -c "summary $ITER tests, 0 failures")" 2
rmmod dmatest
dmesg -C

# slicebus on the guest's DSA: slices of a slice.  A read-only device's
# WQ cannot be configured again once disabled (the driver forgets that it
# is dedicated): reload idxd, which reads the configuration anew.
check "accel-config disable-wq dsa0/wq0.0" accel-config disable-wq dsa0/wq0.0
check "idxd unloads and loads again (DISABLE_DEVICE, probe)" \
	sh -c "rmmod idxd && insmod $IDXD/idxd.ko && sleep 2 && test -e /sys/bus/dsa/devices/dsa0"
check "slicebus, its dma backend and slicebus_idxd load on the guest's idxd" \
	sb_modprobe slicebus slicebus_dsa slicebus_dma slicebus_idxd
check "accel-config config-wq ... --driver-name=slicebus" \
	accel-config config-wq dsa0/wq0.0 --type=kernel --name=slicebus0 --driver-name=slicebus
check "accel-config enable-wq gives the WQ to slicebus_idxd" accel-config enable-wq dsa0/wq0.0
diag "$($S dev show dsa0 2>&1 | tr '\n' ' ')"
type=$($S -j dev show dsa0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["dev"][0]["types"][0]["name"])')
check "the guest's WQ is a slicebus device dsa0 with a type ($type)" test -n "$type"
name=$($S slice add dsa0 type "$type" backend dma name e2e0)
check "a dma slice of it ($name)" test "$name" = e2e0
chan=$($S -j slice show e2e0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["slice"][0]["handle"])')
dmesg -C
insmod "$DMATEST" iterations=1000 timeout=30000 &&
	echo "$chan" > $P/channel && echo 1 > $P/run && cat $P/wait > /dev/null
sum=$(dmesg | grep 'dmatest: .*summary')
diag "$sum"
check_eq "dmatest on the slice's channel $chan: 1000 iterations, 0 failures" \
	"$(echo "$sum" | grep -c 'summary 1000 tests, 0 failures')" 1
rmmod dmatest
check "the slice is deleted" $S slice del e2e0
dmesg -C
modprobe libcrc32c		# the test module checks CRCGEN with crc32c()
insmod "$SB_TOP/selftests/modules/sb_client_test.ko" dev=dsa0 type="$type"
rc=$?
check_eq "the client API opcode test passes on a slice of the guest's WQ" "$rc" 0
dmesg | grep -E 'sb_client_test: (not ok|[^on])' | while IFS= read -r l; do diag "$l"; done
rmmod sb_client_test 2>/dev/null
check "accel-config disable-wq takes the WQ from slicebus" accel-config disable-wq dsa0/wq0.0
check_eq "and dsa0 is gone from slicebus" "$($S -j dev show)" '{"dev":[]}'
check "slicebus unloads" sb_rmmod slicebus_idxd slicebus_dma slicebus_dsa slicebus

# hot-unplug: idxd bound, its WQ a dmaengine channel, when L1 removes the
# mdev; QEMU asks for the device back and the guest's ACPI hotplug ejects it
check "idxd loads again for the unplug" \
	sh -c "rmmod idxd && insmod $IDXD/idxd.ko && sleep 2 && test -e /sys/bus/dsa/devices/dsa0"
check "and its WQ is a dmaengine channel again" \
	sh -c "accel-config config-wq dsa0/wq0.0 --type=kernel --name=sbe2e --driver-name=dmaengine &&
	       accel-config enable-wq dsa0/wq0.0 && ls /sys/class/dma | grep -q ."
dmesg -C
echo "L2-IDXD-UNPLUG-READY"
for i in $(seq 300); do
	[ -e "$dev" ] || break
	sleep 1
done
check "L1 removed the mdev: the device left the guest (${i} s)" test ! -e "$dev"
dmesg | grep -iE 'idxd|pci' | tail -n 8 | while IFS= read -r l; do diag "$l"; done
check "idxd let go of dsa0" test ! -e /sys/bus/dsa/devices/dsa0
check_eq "its dmaengine channel is gone" "$(ls /sys/class/dma | wc -l)" 0
check "the guest's idxd unloads" rmmod idxd idxd_bus
done_testing
