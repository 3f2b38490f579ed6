#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-kernels, make check KERNELS="...": the host tests once and
# the in-VM groups on each kernel, in one total.  6.12's lane is make check
# itself (host groups, static, in-VM groups); without 6.12 in the list the
# host groups run on their own first.  Each other kernel's lane is
# check-kernel.sh: the in-VM groups and the kernel-dependent static checks.
#
#   check-kernels.sh [RELEASE...]      default: 6.12 6.18 7.3
# SB_KERNEL_GROUPS: the groups of the other kernels' lanes (default: all)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
# called from make: the lanes' own makes must not inherit our command line
unset MAKEFLAGS MFLAGS MAKELEVEL KERNELS
rels=("$@")
[ ${#rels[@]} -gt 0 ] || rels=(6.12 6.18 7.3)
read -r -a kgroups <<< "${SB_KERNEL_GROUPS:-}"
if [ ${#kgroups[@]} -eq 0 ]; then
	kgroups=(vm static)
	for t in "$top"/selftests/t-*.sh; do t=${t##*/t-}; kgroups+=("${t%.sh}"); done
fi
pass=0 fail=0 skipped=0
summary=()
lane() {	# name, command...
	local name=$1 start=$SECONDS out line
	shift
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	rm -f "$out"
	[ -n "$line" ] || line="0 passed, 1 failed, 0 skipped"
	set -- $line
	pass=$((pass + $1)) fail=$((fail + $3)) skipped=$((skipped + ${5:-0}))
	summary+=("$name: $line in $((SECONDS - start)) s")
}
case " ${rels[*]} " in
*" 6.12 "*) ;;
*) lane host make -s -C "$top" check T="host fuzz" ;;
esac
for r in "${rels[@]}"; do
	case $r in
	6.12*) lane "$r" make -s -C "$top" check ;;
	*) lane "$r" "$top/scripts/check-kernel.sh" "$r" "${kgroups[@]}" ;;
	esac
done
echo "# lanes:"
for s in "${summary[@]}"; do echo "#   $s"; done
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
