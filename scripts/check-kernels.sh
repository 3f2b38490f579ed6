#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-kernels, make check KERNELS="...": the host tests once and
# the in-VM groups on each kernel, in one total.  6.12's lane is make check
# itself (host groups, static, in-VM groups, e2e); without 6.12 in the list
# the host groups run on their own first.  Each other kernel's lane is
# check-kernel.sh: the in-VM groups and the kernel-dependent static checks.
#
#   check-kernels.sh [RELEASE...]      default: 6.12 6.18 7.3
#
# SB_KERNEL_GROUPS: the groups of the other kernels' lanes (default: all but
# host and fuzz, which do not use the kernel, and e2e).
# SB_KERNEL_JOBS: 2 (default) runs the other kernels' lanes, one after the
# other, beside the first lane (their fetch and build included): a lane's
# VMs spend most of their time in one emulated CPU, and the two lanes were
# seen to pass side by side on two cores in less time than one after the
# other.  1: one lane at a time.  The first lane's output streams; the
# others' follow it when they are done.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
# called from make: the lanes' own makes must not inherit our command line
unset MAKEFLAGS MFLAGS MAKELEVEL KERNELS
rels=("$@")
[ ${#rels[@]} -gt 0 ] || rels=(6.12 6.18 7.3)
read -r -a kgroups <<< "${SB_KERNEL_GROUPS:-}"
if [ ${#kgroups[@]} -eq 0 ]; then
	kgroups=(static vm)
	for t in "$top"/selftests/t-*.sh; do t=${t##*/t-}; kgroups+=("${t%.sh}"); done
fi
logs=$top/build/lanes
rm -rf "$logs"
mkdir -p "$logs"

# the lanes, in order: name and command
names=() cmds=()
case " ${rels[*]} " in
*" 6.12 "*) ;;
*) names+=(host); cmds+=("make -s -C $top check T='host fuzz'") ;;
esac
for r in "${rels[@]}"; do
	names+=("$r")
	case $r in
	6.12*) cmds+=("make -s -C $top check") ;;
	*) cmds+=("$top/scripts/check-kernel.sh $r ${kgroups[*]}") ;;
	esac
done

# one lane: its output in logs/N.log, its time in logs/N.time
lane() {
	local i=$1 start=$SECONDS
	bash -c "${cmds[$i]}" > "$logs/$i.log" 2>&1
	echo $((SECONDS - start)) > "$logs/$i.time"
}

start=$SECONDS
if [ "${SB_KERNEL_JOBS:-2}" -ge 2 ] && [ ${#names[@]} -gt 1 ]; then
	(for ((i = 1; i < ${#names[@]}; i++)); do lane "$i"; done) &
	bg=$!
	echo "# lanes ${names[*]:1} run beside lane ${names[0]} (logs in build/lanes/)"
	: > "$logs/0.log"
	lane 0 &
	fg=$!
	tail -q -n +1 --pid=$fg -f "$logs/0.log" 2>/dev/null
	wait $fg
	wait $bg
	for ((i = 1; i < ${#names[@]}; i++)); do
		echo "# lane ${names[$i]}:"
		cat "$logs/$i.log"
	done
else
	for ((i = 0; i < ${#names[@]}; i++)); do
		echo "# lane ${names[$i]}:"
		: > "$logs/$i.log"
		lane "$i" &
		fg=$!
		tail -q -n +1 --pid=$fg -f "$logs/$i.log" 2>/dev/null
		wait $fg
	done
fi

pass=0 fail=0 skipped=0
echo "# lanes:"
for ((i = 0; i < ${#names[@]}; i++)); do
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/$i.log" | tail -n 1)
	[ -n "$line" ] || line="0 passed, 1 failed, 0 skipped"
	set -- $line
	pass=$((pass + $1)) fail=$((fail + $3)) skipped=$((skipped + ${5:-0}))
	echo "#   ${names[$i]}: $line in $(cat "$logs/$i.time") s"
done
echo "# all lanes: $((SECONDS - start)) s"
if [ "$fail" -gt 0 ]; then
	echo "# failures:"
	for ((i = 0; i < ${#names[@]}; i++)); do
		grep -E '^[a-z0-9-]+: not ok ' "$logs/$i.log" | sort -u | sed "s/^/${names[$i]}: /"
	done
fi
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
