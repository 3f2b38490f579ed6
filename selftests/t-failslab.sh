#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Random allocation failures (failslab) while slices are created and
# deleted through every entry point: slicectl (netlink), mdev sysfs, the
# vdpa tool.  Each attempt succeeds whole or fails cleanly; afterwards
# every slice left can be deleted, the accountant is back where it
# started, the modules unload, and the kmemleak scan after the group and
# the splat check of the runner find nothing.  Needs CONFIG_FAILSLAB (the
# debug kernel of make check-debug); elsewhere it is skipped.
# SB_FAILSLAB_ROUNDS (default 200) sets the number of attempts.
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
FS=/sys/kernel/debug/failslab
N=${SB_FAILSLAB_ROUNDS:-200}

if [ ! -d "$FS" ]; then
	skip "allocation failures during create and delete" \
		"kernel without CONFIG_FAILSLAB (make check-debug runs it)"
	done_testing
	exit 0
fi

check "load slicesim and every backend" \
	sb_modprobe vfio_iommu_type1 slicesim slicebus_vfio slicebus_vdpa slicebus_dma
counts() { $S -j dev show sim0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["dev"][0]["types"])'; }
before=$(counts)
types=/sys/class/slicebus/sim0/mdev_supported_types

# Run "$@" with allocation failures injected into it (and its children).
failing() { sh -c 'echo 1 > /proc/self/make-it-fail && exec "$@"' failing "$@"; }

echo Y > "$FS/task-filter"
echo N > "$FS/ignore-gfp-wait"
echo 0 > "$FS/verbose"
echo 1 > "$FS/interval"
echo -1 > "$FS/times"
echo 10 > "$FS/probability"

tried=0 okc=0 failc=0 deleted=0
i=0
while [ "$i" -lt "$N" ]; do
	case $((i % 5)) in
	0) failing "$S" slice add sim0 backend dma name "fs$i" > /dev/null 2>&1 ;;
	1) failing "$S" slice add sim0 backend vfio > /dev/null 2>&1 ;;
	2) failing vdpa dev add name "fv$i" mgmtdev sim0 > /dev/null 2>&1 ;;
	3) failing sh -c "cat /proc/sys/kernel/random/uuid > $types/slicebus-dwq-16/create" 2> /dev/null ;;
	4) # delete one live slice, with failures too
	   name=$($S -j slice show 2> /dev/null | python3 -c 'import json,sys
s=json.load(sys.stdin)["slice"]
print(s[0]["name"] if s else "")' 2> /dev/null)
	   if [ -n "$name" ] && failing "$S" slice del "$name" > /dev/null 2>&1; then
		deleted=$((deleted + 1))
	   fi
	   i=$((i + 1)); continue ;;
	esac
	if [ $? -eq 0 ]; then okc=$((okc + 1)); else failc=$((failc + 1)); fi
	tried=$((tried + 1))
	i=$((i + 1))
done
echo 0 > "$FS/probability"
echo "# $tried creations under failslab: $okc made, $failc failed; $deleted deletions made"
ok "$([ "$failc" -gt 0 ] && [ "$okc" -gt 0 ]; echo $?)" \
	"allocation failures hit some creations and spared others ($failc of $tried failed)"

# every slice left is whole: shown consistently and deletable
left=$($S -j slice show | python3 -c 'import json,sys; print(" ".join(s["name"] for s in json.load(sys.stdin)["slice"]))')
bad=0
for s in $left; do $S slice del "$s" > /dev/null 2>&1 || bad=$((bad + 1)); done
check_eq "every slice left ($(echo "$left" | wc -w)) deletes without failures injected" "$bad" 0
check_eq "no mdev is left" "$(ls /sys/bus/mdev/devices | wc -l)" 0
check_eq "no vdpa device is left" "$(vdpa dev show | wc -l)" 0
check_eq "the accountant is back where it started" "$(counts)" "$before"
check "a slice can still be made and deleted" \
	sh -c "$S slice add sim0 backend dma name after && $S slice del after"
check "everything unloads" \
	sb_rmmod slicebus_dma slicebus_vdpa slicebus_vfio slicesim slicebus
done_testing
