#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# slicebus_idxd without DSA hardware: it registers on the idxd bus, stays
# out of the way, and unloads.  The data path needs a real device (see
# Documentation/slicebus/idxd.rst).
. "$(dirname "$0")/lib.sh"
S=$SLICECTL

if [ ! -f "$SB_TOP/drivers/idxd/slicebus_idxd.ko" ]; then
	skip "slicebus_idxd" "not built (needs idxd's header from the kernel's source)"
	done_testing
	exit
fi
if ! err=$(modprobe idxd 2>&1); then
	# idxd itself refuses CPUs without MOVDIR64B/ENQCMD (QEMU's TCG)
	skip "slicebus_idxd" "Debian's idxd does not load here: $err"
	done_testing
	exit
fi
check "slicebus_idxd loads next to Debian's idxd" sb_modprobe slicebus_idxd
check "it is a driver on the dsa bus" test -d /sys/bus/dsa/drivers/slicebus
check_eq "without DSA hardware there is no device" "$($S -j dev show)" '{"dev":[]}'
if ls /sys/bus/dsa/devices/ 2> /dev/null | grep -q .; then
	diag "DSA devices are present: $(ls /sys/bus/dsa/devices | tr '\n' ' ')"
fi
check "it unloads" sb_rmmod slicebus_idxd slicebus_dsa slicebus
done_testing
