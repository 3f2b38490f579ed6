#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In a VM of another kernel (static-check.sh's kernel lane): the modules
# DKMS built and installed (SB_DKMS: their directory) load in the running
# kernel, with the kernel's own modules they depend on, and work.
. "$(dirname "$0")/lib.sh"
S=$SLICECTL

# what DKMS installed, in place of this build's modules
sb_ko() {
	case "$1" in
	slicebus | slicesim | slicebus_dsa | slicebus_vfio | slicebus_vdpa | slicebus_dma | slicebus_idxd)
		ls "$SB_DKMS/$1.ko"* 2>/dev/null | head -n 1 ;;
	esac
}

check_eq "the VM runs the kernel DKMS built for" "$(uname -r)" "$KVER"
check_eq "the modules were built for it" \
	"$(modinfo -F vermagic "$(sb_ko slicebus)" | cut -d' ' -f1)" "$KVER"
check "they load, with the kernel's modules they need" \
	sb_modprobe slicebus slicebus_dsa slicesim slicebus_dma slicebus_vfio slicebus_vdpa
check "slicesim registered sim0" $S dev show sim0
name=dk$$
n0=$(ls /sys/class/dma 2>/dev/null | wc -l)
check "a dma slice is created" $S slice add sim0 type dwq-64 backend dma name "$name"
check_eq "it registers a dmaengine channel" "$(ls /sys/class/dma 2>/dev/null | wc -l)" "$((n0 + 1))"
check "and is deleted" $S slice del "$name"
if [ -n "$(sb_ko slicebus_idxd)" ]; then
	check_eq "the Intel DSA provider DKMS built is for it too" \
		"$(modinfo -F vermagic "$(sb_ko slicebus_idxd)" | cut -d' ' -f1)" "$KVER"
	# no DSA here: the provider loads beside the kernel's idxd and waits
	if err=$(modprobe idxd 2>&1); then
		check "and loads beside the kernel's idxd" sb_modprobe slicebus_idxd
		check "and unloads" sb_rmmod slicebus_idxd idxd
	else
		skip "loading the Intel DSA provider" "the kernel's idxd does not load here: $err"
	fi
else
	skip "the Intel DSA provider" "DKMS did not build it (no idxd source header)"
fi
check "everything unloads" \
	sb_rmmod slicebus_vdpa slicebus_vfio slicebus_dma slicesim slicebus_dsa slicebus
done_testing
