#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check-e2e, inside the test VM (L1): a slice goes to a nested VM (L2)
# the way an operator assigns it: QEMU -device vfio-pci,sysfsdev=<mdev>.
# L2 copies data through it; then the mdev is removed while L2 runs, QEMU
# gets the request and unplugs the device from the guest; the accountant
# sees the slice come and go.  Prints TAP.
. "$(dirname "$0")/../lib.sh"
S=$SLICECTL
L2=/tmp/l2
TIMEOUT=${SB_E2E_TIMEOUT:-900}

free() { $S -j dev show sim0 | python3 -c 'import json,sys; print([r["free"] for r in json.load(sys.stdin)["dev"][0]["resources"]])'; }

check "load vfio, slicesim and slicebus_vfio" sb_modprobe vfio_iommu_type1 slicesim slicebus_vfio
u=$($S slice add sim0 type dwq-16 backend vfio)
check "slicectl slice add sim0 type dwq-16 backend vfio ($u)" test -n "$u"
check_eq "the accountant counts it" "$(free)" "[7, 112]"

mkdir -p "$L2/bin"
cp /bin/busybox "$L2/bin/"
cp "$SB_BUILD/selftests/l2_test" "$L2/bin/"
install -m 0755 "$SB_TOP/selftests/e2e/l2-init" "$L2/init"
(cd "$L2" && find . | cpio -o -H newc --quiet | gzip -1) > /tmp/l2.cpio.gz

l2_boot() {
	qemu-system-x86_64 -accel tcg -cpu qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt \
		-m 512M -smp 1 -display none -no-reboot -monitor none -serial stdio \
		-kernel "/boot/vmlinuz-$(uname -r)" -initrd /tmp/l2.cpio.gz \
		-append "console=ttyS0 panic=-1 quiet loglevel=3" \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$u" \
		< /dev/null > /tmp/l2.log 2>&1 &
	qemu=$!
	start=$(date +%s)
	while ! grep -q L2-WAITING-FOR-UNPLUG /tmp/l2.log; do
		if ! kill -0 "$qemu" 2> /dev/null || [ $(( $(date +%s) - start )) -gt "$TIMEOUT" ]; then
			break
		fi
		sleep 2
	done
}
# Nested TCG now and then corrupts the L2 kernel's memory in early boot,
# before any user space runs (seen as an oops in the slab allocator).  An
# L2 that panicked before its init started did not reach the device:
# boot it once more, and say so.
l2_boot
if ! grep -q L2-INIT /tmp/l2.log && grep -q 'Kernel panic' /tmp/l2.log; then
	diag "L2's kernel panicked in early boot, before its init ran; booting it again"
	grep -m 3 -E 'BUG|Oops|RIP:|Kernel panic' /tmp/l2.log | tr -d '\r' | sed 's/^/L2: /' |
		while IFS= read -r line; do diag "$line"; done
	l2_boot
fi
diag "L2 booted and ran its test in $(( $(date +%s) - start )) s"
grep -q 'L2-TESTS-DONE [1-9][0-9]* 0' /tmp/l2.log ||
	grep -v '^ok ' /tmp/l2.log | tail -n 40 | sed 's/^/# L2: /'
grep -E '^(not )?ok [0-9]+ - L2:' /tmp/l2.log | tr -d '\r' | while IFS= read -r line; do
	echo "$line"
done > /tmp/l2.tap
while IFS= read -r line; do
	case "$line" in
	"ok "*) ok 0 "${line#ok * - }" ;;
	*) ok 1 "${line#not ok * - }" ;;
	esac
done < /tmp/l2.tap
check "the guest ran all its checks" grep -q 'L2-TESTS-DONE [1-9][0-9]* 0' /tmp/l2.log

# hot-unplug: remove the mdev while L2 runs
t0=$(date +%s)
timeout 180 sh -c "echo 1 > /sys/bus/mdev/devices/$u/remove"
rc=$?
check_eq "removing the mdev while L2 runs completes (QEMU releases it)" "$rc" 0
diag "removal took $(( $(date +%s) - t0 )) s"
check "QEMU asked the guest to unplug it and the guest saw it go" \
	sh -c "for i in \$(seq 60); do grep -q L2-UNPLUGGED /tmp/l2.log && exit 0; sleep 1; done; exit 1"
for i in $(seq 60); do kill -0 "$qemu" 2> /dev/null || break; sleep 1; done
kill "$qemu" 2> /dev/null
check_eq "the accountant has it all back" "$(free)" "[8, 128]"
check_eq "no slice is left" "$($S -j slice show)" '{"slice":[]}'

# The guest's own driver: a second L2, booted by the test VM runner itself
# (the host's root over 9p once more), runs idxd, accel-config, dmatest and
# slicebus_idxd on an assigned slice (l2-idxd.sh).
# make check-e2e runs it (SB_E2E_IDXD=1); make check leaves it out for time.
if [ "${SB_E2E_IDXD:-0}" != 1 ]; then
	diag "the guest's own idxd on the slice: make check-e2e"
elif [ -f "$SB_BUILD/guest-idxd/drivers/dma/idxd/idxd.ko" ] && command -v accel-config > /dev/null; then
	u=$($S slice add sim0 type dwq-64 backend vfio)
	check "a dwq-64 vfio slice for the guest's idxd ($u)" test -n "$u"
	stats=/sys/bus/slicebus/devices/$u/queue/stats
	before=$(awk '{ print $6 }' "$stats")
	# the L2 prints L2-IDXD-UNPLUG-READY when its idxd is bound to the
	# device again after all its checks: then the mdev is removed under it
	VM_DIR=/tmp/l2vm VM_ACCEL=tcg VM_CPU=qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt \
		VM_SMP=1 VM_MEM=1G VM_TIMEOUT=${SB_E2E_IDXD_TIMEOUT:-2000} \
		VM_QEMU_ARGS="-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$u" \
		"$SB_TOP/selftests/vm/vm-run.sh" "sh $SB_TOP/selftests/e2e/l2-idxd.sh" \
		> /tmp/l2idxd.log 2>&1 &
	vm=$!
	while kill -0 "$vm" 2> /dev/null && ! grep -q L2-IDXD-UNPLUG-READY /tmp/l2idxd.log; do
		sleep 2
	done
	after=$(awk '{ print $6 }' "$stats")
	check "the host's queue counters show the guest's work ($before -> $after completed)" \
		test "$after" -gt $((before + 6000))
	check "slicectl -s shows them too" \
		sh -c "$S -s slice show $u | grep -q ' completed $after '"
	if grep -q L2-IDXD-UNPLUG-READY /tmp/l2idxd.log; then
		t0=$(date +%s)
		timeout 180 sh -c "echo 1 > /sys/bus/mdev/devices/$u/remove"
		check_eq "removing the mdev under the guest's idxd completes (QEMU gives it back)" "$?" 0
		diag "removal took $(( $(date +%s) - t0 )) s"
	else
		check "the guest got to the unplug" false
		echo 1 > "/sys/bus/mdev/devices/$u/remove"
	fi
	check_eq "the accountant has it all back" "$(free)" "[8, 128]"
	wait "$vm"
	rc=$?
	out=$(cat /tmp/l2idxd.log)
	echo "$out" | grep -E '^(not )?ok [0-9]+ - ' | while IFS= read -r line; do
		case "$line" in
		"ok "*) ok 0 "L2 idxd: ${line#ok * - }" ;;
		*) ok 1 "L2 idxd: ${line#not ok * - }" ;;
		esac
	done
	echo "$out" | grep -E '^# ' | sed 's/^# /L2 idxd: /' | while IFS= read -r l; do diag "$l"; done
	[ "$rc" -eq 0 ] || echo "$out" | grep -vE '^(not )?ok ' | tail -n 30 | sed 's/^/# L2: /'
	check_eq "the guest's run ended cleanly (status, no splat in its log)" "$rc" 0
	check "no slice is left" test ! -e "/sys/bus/slicebus/devices/$u"
else
	skip "the guest's own idxd" "build/guest-idxd or accel-config missing (scripts/build-guest-idxd.sh, setup.sh)"
fi
check "everything unloads" sb_rmmod slicebus_vfio slicesim slicebus_dsa slicebus
done_testing
