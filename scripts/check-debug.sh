#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the whole in-VM suite on a 6.12 debug kernel (lockdep,
# KASAN, kmemleak, debug objects, DMA API debug, UBSAN, failslab), built
# once from Debian's linux-source-6.12 and cached outside the work tree.
# Any report fails the run; a kmemleak scan follows every test group.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SB_DEBUG_CACHE:-/var/cache/slicebus-debug}
kver=$("$top/scripts/debug-kernel.sh" | tail -n 1)
kdir=$cache/linux
tree=$cache/tree

# our modules for that kernel, built in a copy of the tree
mkdir -p "$tree"
(cd "$top" && git ls-files -z | tar --null -T - -c) | tar -x -C "$tree"
cd "$tree"
# the debug kernel has no idxd: leave slicebus_idxd out
make -s KVER="$kver" KDIR="$kdir" IDXD_SRC= modules tools selftests > "$cache/build.log" 2>&1 ||
	{ tail -n 40 "$cache/build.log"; exit 1; }
scripts/peer-src.sh >> "$cache/build.log" 2>&1
KVER="$kver" KDIR="$kdir" scripts/build-peers.sh >> "$cache/build.log" 2>&1

export KVER="$kver"
export VM_KERNEL="$kdir/arch/x86/boot/bzImage"
export VM_MODROOT="$cache/root/lib/modules"
export VM_MEM=${VM_MEM:-4G}
export VM_TIMEOUT=${VM_TIMEOUT:-3600}
# KASAN with 5-level paging (QEMU's "max" CPU has LA57) reports a wild
# access in early boot, before any of our code: boot with 4-level paging
export VM_CPU=${VM_CPU:-max,la57=off}
# Under TCG the debug kernel sometimes takes a legacy timer interrupt in
# the middle of IO-APIC set-up and oopses in mask_ioapic_irq() (early boot,
# before any of our code; about one boot in five): keep the 8259 PIC
export VM_APPEND=${VM_APPEND:-noapic}
# KASAN and lockdep make every operation slow: give the concurrency test
# longer to get work done through every entry point
export SB_STRESS_SECONDS=${SB_STRESS_SECONDS:-60}
# and requests that must not wait for a removal in progress longer to
# answer (the removal waits 30 s for its user)
export SB_QUICK_SECONDS=${SB_QUICK_SECONDS:-3}
# SB_DEBUG_GROUPS picks groups (default: every in-VM group but e2e)
read -r -a groups <<< "${SB_DEBUG_GROUPS:-}"
if [ ${#groups[@]} -eq 0 ]; then
	for t in selftests/t-*.sh; do t=${t##*/t-}; groups+=("${t%.sh}"); done
fi
start=$SECONDS
if [ -z "${SB_DEBUG_GROUPS:-}" ]; then groups=(vm "${groups[@]}"); fi
rc=0
selftests/run.sh "${groups[@]}" || rc=$?
echo "# debug lane: $((SECONDS - start)) s on $kver"
exit $rc
