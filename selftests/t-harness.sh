#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The test VM itself and the core module's load/unload.
. "$(dirname "$0")/lib.sh"

check_eq "guest runs the kernel the lane chose ($KVER)" \
	"$(uname -r)" "$KVER"
check "host root is mounted read-only" sh -c '! touch /usr/.sb_probe'
check "/tmp is writable" sh -c 'echo x > /tmp/x && [ "$(cat /tmp/x)" = x ]'
check "slicebus.ko loads" sb_modprobe slicebus
check "the slice bus is registered" test -d /sys/bus/slicebus
check "the slicebus class is registered" test -d /sys/class/slicebus
check "the generic netlink family is registered" genl ctrl get name slicebus
check "slicebus.ko unloads" sb_rmmod slicebus
check "nothing is left of the bus" sh -c '! test -d /sys/bus/slicebus'
check "slicebus.ko loads again" sb_modprobe slicebus
check "and unloads again" sb_rmmod slicebus
check_fail "the family is gone after unload" genl ctrl get name slicebus
done_testing
