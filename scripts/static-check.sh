#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks as TAP: the generated netlink code is what the spec
# generates, checkpatch --strict on every kernel C file and header, a W=1 +
# sparse build with no warnings, the DKMS build, and the tree built as
# in-tree code inside the kernel source (intree-check.sh: about 5 minutes
# the first time, to extract and prepare the kernel source, then 1 to 2
# minutes).  On another kernel (check-kernel.sh sets SB_KERNEL_KDIR): the
# W=1 + sparse build and DKMS, in the build root with that kernel's
# compiler, and the DKMS-installed modules loaded in that kernel's VM; the
# checks that do not depend on the kernel run in the 6.12 lane only.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/build/linux-src
n=0 failed=0
tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
# dkms add, build and install into a scratch tree for one kernel (KVER,
# its build dir $1; $2: how to run dkms, e.g. in the build root), then a VM
# of that kernel loading what DKMS installed.  Under the work tree: the VM
# covers /tmp with tmpfs.
# selftests/dkms-load.sh in a VM, with the modules DKMS installed in $1
dkms_vm() {
	"$top/selftests/vm/vm-run.sh" "SB_DKMS=$1 sh $top/selftests/dkms-load.sh" 2>&1
}
dkms_check() {
	local kdir=$1 kr=$2 d ver opts out rc built want idxd
	d=$top/build/dkms
	rm -rf "$d"
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
	mkdir -p "$d/src/slicebus-$ver" "$d/tree" "$d/inst/$KVER"
	# the sources as a user gets them: the git tree, or (a lane's copy of
	# it) everything but build products
	if [ -d "$top/.git" ]; then
		(cd "$top" && git ls-files -z | tar --null -T - -c)
	else
		(cd "$top" && tar -c --exclude=./build --exclude='*.o' --exclude='*.ko' \
			--exclude='*.mod*' --exclude='.*.cmd' --exclude=Module.symvers \
			--exclude=modules.order .)
	fi | tar -x -C "$d/src/slicebus-$ver"
	opts="-m slicebus -v $ver -k $KVER --kernelsourcedir $kdir --sourcetree $d/src --dkmstree $d/tree"
	# six modules; the Intel DSA provider too when idxd's source header of
	# the same kernel is given, as an operator with the source would
	want=6 idxd=
	if [ -f "$src/drivers/dma/idxd/idxd.h" ]; then
		want=7 idxd=$src/drivers/dma/idxd
	fi
	# shellcheck disable=SC2086
	out=$(cd "$top" && $kr dkms add -m slicebus -v "$ver" --sourcetree "$d/src" --dkmstree "$d/tree" 2>&1 &&
	      $kr env IDXD_SRC="$idxd" dkms build $opts 2>&1)
	rc=$?
	built=$(find "$d/tree" -name '*.ko*' -path '*/module/*' | wc -l)
	[ "$rc" -ne 0 ] && echo "$out" | tail -n 20 | sed 's/^/# /'
	tap "$([ "$rc" -eq 0 ] && [ "$built" -eq "$want" ]; echo $?)" \
		"dkms build against $KVER ($built of $want modules)"
	# shellcheck disable=SC2086
	out=$(cd "$top" && $kr env IDXD_SRC="$idxd" dkms install $opts --installtree "$d/inst" 2>&1)
	rc=$?
	built=$(find "$d/inst/$KVER" -name '*.ko*' | wc -l)
	[ "$rc" -ne 0 ] && echo "$out" | tail -n 20 | sed 's/^/# /'
	tap "$([ "$rc" -eq 0 ] && [ "$built" -eq "$want" ]; echo $?)" \
		"dkms install into a scratch tree for $KVER ($built of $want modules)"
	out=$(dkms_vm "$d/inst/$KVER/updates/dkms")
	rc=$?
	if [ "$rc" -ne 0 ] && ! echo "$out" | grep -q '^ok 1 ' &&
	   echo "$out" | grep -q 'Kernel panic'; then
		# the guest died booting, before the test ran (seen on an
		# overloaded host under TCG): say so and boot it once more
		echo "$out" | grep -m 1 -B 2 'Kernel panic' | sed 's/^/# first boot: /'
		out=$(dkms_vm "$d/inst/$KVER/updates/dkms")
		rc=$?
	fi
	echo "$out" | grep -E '^(not )?ok ' | sed 's/^/# vm: /'
	[ "$rc" -ne 0 ] && echo "$out" | grep -v '^ok ' | tail -n 20 | sed 's/^/# /'
	tap "$rc" "the modules DKMS installed load and work in a $KVER VM"
}

# W=1 + sparse, then DKMS, on the kernel of check-kernel.sh's lane (KVER,
# SB_KERNEL_KDIR), in the build root with that kernel's compiler.
kernel_static() {
	local kdir=$SB_KERNEL_KDIR out
	local kr="$top/scripts/kernels.sh run"
	out=$(cd "$top" && $kr make -C "$kdir" M="$top" W=1 C=2 \
		CONFIG_SLICEBUS=m CONFIG_SLICEBUS_DSA=m CONFIG_SLICEBUS_SIM=m CONFIG_SLICEBUS_DMA=m CONFIG_SLICEBUS_VFIO=m CONFIG_SLICEBUS_VDPA=m CONFIG_SLICEBUS_SELFTESTS=m \
		CONFIG_SLICEBUS_IDXD=m IDXD_SRC="$src/drivers/dma/idxd" \
		modules 2>&1 | grep -E 'warning|error' | grep -v '^make')
	[ -z "$out" ] || echo "$out" | sed "s|$top/||; s/^/# /"
	tap "$([ -z "$out" ]; echo $?)" "W=1 and sparse (C=2) build on $KVER without warnings"
	dkms_check "$kdir" "$kr"
}

echo "TAP version 13"
if [ -n "${SB_KERNEL_KDIR:-}" ]; then
	kernel_static
	echo "1..$n"
	exit $failed
fi
if [ -f "$src/tools/net/ynl/ynl-gen-c.py" ]; then
	# as the kernel regenerates its families: the committed files must
	# be byte for byte what ynl-gen-c.py makes of the spec
	out=$("$top/scripts/ynl-gen.sh" --check "$src" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] || echo "$out" | head -n 40 | sed 's/^/# /'
	tap "$rc" "uapi/linux/slicebus.h and slicebus/netlink-gen.[ch] are generated from the spec"
else
	n=$((n + 1)); echo "ok $n - ynl-gen # SKIP linux-source-6.12 not extracted"
fi
if [ -x "$src/scripts/checkpatch.pl" ]; then
	files=$(cd "$top" && git ls-files '*.c' '*.h' | grep -v -e '^tools/' -e '^selftests/host/' -e '^selftests/progs/' -e '^selftests/e2e/' -e '^selftests/fuzz/')
	for f in $files; do
		# the one place with version checks; its shims drop arguments
		# the older kernels do not have
		ign=
		[ "$f" = slicebus/compat.h ] && ign=--ignore=LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED
		out=$(cd "$src" && perl scripts/checkpatch.pl --strict --no-tree --terse \
			--show-types $ign -q -f "$top/$f" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):')
		[ -z "$out" ] || echo "$out" | sed "s|$top/||; s/^/# /"
		tap "$([ -z "$out" ]; echo $?)" "checkpatch --strict: $f"
	done
else
	n=$((n + 1)); echo "ok $n - checkpatch # SKIP linux-source-6.12 not extracted"
fi
if command -v sparse > /dev/null; then
	kver=$("$top/scripts/setup.sh" | tail -n 1)
	idxd=$top/build/linux-src/drivers/dma/idxd
	out=$(make -C "/lib/modules/$kver/build" M="$top" W=1 C=2 \
		CONFIG_SLICEBUS=m CONFIG_SLICEBUS_DSA=m CONFIG_SLICEBUS_SIM=m CONFIG_SLICEBUS_DMA=m CONFIG_SLICEBUS_VFIO=m CONFIG_SLICEBUS_VDPA=m CONFIG_SLICEBUS_SELFTESTS=m \
		${idxd:+CONFIG_SLICEBUS_IDXD=m IDXD_SRC=$idxd} \
		modules 2>&1 | grep -E 'warning|error' | grep -v '^make')
	[ -z "$out" ] || echo "$out" | sed "s|$top/||; s/^/# /"
	tap "$([ -z "$out" ]; echo $?)" "W=1 and sparse (C=2) build without warnings"
else
	n=$((n + 1)); echo "ok $n - sparse # SKIP sparse not installed"
fi
if command -v dkms > /dev/null; then
	KVER=$("$top/scripts/setup.sh" | tail -n 1) dkms_check "/lib/modules/$("$top/scripts/setup.sh" | tail -n 1)/build" ""
else
	n=$((n + 1)); echo "ok $n - dkms # SKIP dkms not installed"
fi
while IFS= read -r line; do
	case $line in
	"ok "*" # SKIP"*) n=$((n + 1)); echo "ok $n - ${line#ok * - }" ;;
	"ok "*) tap 0 "in-tree: ${line#ok * - }" ;;
	"not ok "*) tap 1 "in-tree: ${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done < <("$top/scripts/intree-check.sh" 2>&1)
echo "1..$n"
exit $failed
