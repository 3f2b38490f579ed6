#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test suite on another kernel than Debian 12's 6.12: make check
# KERNELS="6.18 7.3", make check-kernels.
#
#   check-kernel.sh RELEASE [GROUP...]
#
# RELEASE is what scripts/kernels.sh takes (6.18, 7.3, or a full release).
# The kernel's image, modules and build dir come from kernels.sh; our
# modules and the peer modules (dmatest, mtty, vdpa_sim, built from that
# kernel's own source) are built in the trixie build root with the compiler
# that kernel was built with, W=1, in a copy of the work tree kept beside
# the kernel in the cache; slicectl and the test programs are built on the
# host (the VM runs the host's Debian 12 userspace).  The groups then run
# in VMs booting that kernel with its own modules.  Groups (default: all
# but e2e): host and fuzz (as on 6.12: they do not use the kernel), static
# (W=1 and sparse on this kernel, DKMS build and install into a scratch
# tree whose modules a VM loads) and the in-VM ones.
set -eu
unset MAKEFLAGS MFLAGS MAKELEVEL
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SB_KERNELS_CACHE:-/var/cache/slicebus-kernels}
mkdir -p "$cache"
rel=${1:?usage: check-kernel.sh RELEASE [GROUP...]}
shift
log() { echo "check-kernel: $*" >&2; }

out=$("$top/scripts/kernels.sh" -s "$rel" 2> "$cache/kernels-$rel.log") ||
	{ tail -n 20 "$cache/kernels-$rel.log"; echo "0 passed, 1 failed"; exit 1; }
kver=$(echo "$out" | head -n 1)
kdir=$(echo "$out" | tail -n 1)
branch=$(echo "$kver" | cut -d. -f1-2)
dir=$cache/$branch
mods=$dir/root/usr/lib/modules
kernel=$dir/root/boot/vmlinuz-$kver
[ -f "$kernel" ] || kernel=$mods/$kver/vmlinuz
# the kernel's own source: Debian's linux-source, or the upstream tree
# kernels.sh made the build dir from
src=$(ls "$dir"/src/linux-source-*.tar.xz 2>/dev/null | head -n 1)
[ -n "$src" ] || src=$(realpath "$kdir")
"$top/scripts/kernels.sh" root > /dev/null

tree=$dir/tree
mkdir -p "$tree"
(cd "$top" && git ls-files -z | tar --null -T - -c) | tar -x -C "$tree"
blog=$tree/build/build.log
mkdir -p "$tree/build"
{
	"$tree/scripts/peer-src.sh" "$tree/build/linux-src" "$src" &&
	(cd "$tree" && "$tree/scripts/kernels.sh" run make -s KVER="$kver" KDIR="$kdir" \
		IDXD_SRC="$tree/build/linux-src/drivers/dma/idxd" modules) &&
	(cd "$tree" && "$tree/scripts/kernels.sh" run env KVER="$kver" KDIR="$kdir" \
		scripts/build-peers.sh) &&
	make -s -C "$tree" KVER="$kver" KDIR="$kdir" tools selftests
} > "$blog" 2>&1 || {
	tail -n 40 "$blog"
	echo "build for $kver failed (see $blog)"
	echo "0 passed, 1 failed"
	exit 1
}
# W=1 warnings fail the kernel's lane as they fail 6.12's
if grep -E 'warning:|WARNING:' "$blog" | grep -v '^make' > "$blog.warn"; then
	head -n 20 "$blog.warn"
	echo "build for $kver has warnings (see $blog)"
	echo "0 passed, 1 failed"
	exit 1
fi

export KVER=$kver VM_KERNEL=$kernel VM_MODROOT=$mods
export SB_KERNEL_SRC=$src SB_KERNEL_KDIR=$kdir
groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
	groups=(host fuzz static vm)
	for t in "$tree"/selftests/t-*.sh; do t=${t##*/t-}; groups+=("${t%.sh}"); done
fi
start=$SECONDS
rc=0
"$tree/selftests/run.sh" "${groups[@]}" || rc=$?
echo "# kernel lane: $((SECONDS - start)) s on $kver"
exit $rc
