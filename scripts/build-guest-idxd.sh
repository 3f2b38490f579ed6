#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The guest's own idxd driver for the nested-VM test: drivers/dma/idxd of
# the kernel source (build/linux-src, peer-src.sh) built as out-of-tree
# modules against KVER's headers, with selftests/e2e/idxd-tcg.patch applied
# in the build directory (QEMU's TCG has no MOVDIR64B: the patch writes the
# portal as eight 8-byte stores and lets the driver load without it).  The
# patch is printed, so that the test log shows what differs from the
# kernel's driver.  Output: build/guest-idxd/drivers/dma/idxd/{idxd,idxd_bus}.ko
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${KVER:-$("$top/scripts/setup.sh" | tail -n 1)}
kdir=${KDIR:-/lib/modules/$kver/build}
src=$top/build/linux-src/drivers/dma
out=$top/build/guest-idxd
[ -d "$src/idxd" ] || { echo "build-guest-idxd: no $src/idxd (run scripts/peer-src.sh)" >&2; exit 1; }
ko=$out/drivers/dma/idxd/idxd.ko
if [ -f "$ko" ] && [ "$ko" -nt "$top/selftests/e2e/idxd-tcg.patch" ] &&
   [ "$ko" -nt "$src/idxd/init.c" ] && [ "$ko" -nt "$0" ]; then
	echo "build-guest-idxd: $ko is up to date"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out/drivers/dma"
cp -r "$src/idxd" "$src/dmaengine.h" "$out/drivers/dma/"
echo "build-guest-idxd: the test-only patch applied to the guest's idxd:"
cat "$top/selftests/e2e/idxd-tcg.patch"
patch -s -d "$out" -p1 < "$top/selftests/e2e/idxd-tcg.patch"
make -s -C "$kdir" M="$out/drivers/dma/idxd" \
	CONFIG_INTEL_IDXD=m CONFIG_INTEL_IDXD_BUS=m modules
ls "$out/drivers/dma/idxd/"*.ko
