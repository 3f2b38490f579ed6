# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Kernel holders that outlive their provider: an in-kernel client slice and
# a dmaengine channel (sb_life_test) are held while the provider goes away
# (rmmod slicesim, or unbinding its device); then every queue, client and
# dmaengine entry point is called.  Each must fail with an error and touch
# nothing of the gone provider (its module text, its slice data, its DMA
# device); the log must stay clean.  On the debug kernel KASAN reports any
# such touch as a splat, which fails the run.  Then the netlink surface as
# an attacker sees it: names at the length limit, u64 values at the limit,
# and dumps that must resume without losing or repeating entries.
S=$SLICECTL
LIFE=sb_life_test
SIMDEV=/sys/bus/platform/devices/slicesim.0

# life_probe WHAT: run the probe, report its checks as ours
life_probe() {
	dmesg -C
	echo 1 > /sys/module/$LIFE/parameters/probe
	dmesg | sed -n "s/.*$LIFE: \(\(not \)\{0,1\}ok\) [0-9]* - \(.*\)/\1 \3/p" > /tmp/life.tap
	check "$1: the probe reported its checks" test -s /tmp/life.tap
	while read -r verdict rest; do
		case "$verdict" in
		ok) ok 0 "$1: $rest" ;;
		*) ok 1 "$1: ${rest#ok }" ;;
		esac
	done < /tmp/life.tap
	check_eq "$1: no check failed" "$(cat /sys/module/$LIFE/parameters/failures)" 0
	check_fail "$1: no BUG/WARN/Oops in the log" sh -c "dmesg | grep -q 'BUG\|WARNING\|Oops\|general protection'"
}

# 1. rmmod slicesim under a held client slice and dmaengine channel
sb_modprobe slicesim slicebus_dma
lname=$($S slice add sim0 type dwq-16 backend dma)
lchan=$(cat "/sys/bus/slicebus/devices/$lname/handle")
SB_ARGS_sb_life_test="chan=$lchan"
check "rmmod: $LIFE holds a client slice and $lchan" sb_modprobe $LIFE
check "rmmod slicesim while they are held" sb_rmmod slicesim
life_probe "after rmmod slicesim"
check "giving everything back after the provider left" sb_rmmod $LIFE
check_fail "and the log stays clean" sh -c "dmesg | grep -q 'BUG\|WARNING\|Oops\|general protection'"
check "the backends unload" sb_rmmod slicebus_dma slicebus_dsa slicebus

# 2. the same with slicesim's DMA device seeing RAM at an offset (as a
# device behind a bridge does), removed by unbinding it.  Section 1 is the
# rmmod: a held channel pins slicebus_dma (dmaengine's module reference
# for the channels of the shared dma_device), never the provider.
SB_ARGS_slicesim="dma_offset=1"
if sb_modprobe slicesim slicebus_dma; then
	lname=$($S slice add sim0 type dwq-16 backend dma)
	lchan=$(cat "/sys/bus/slicebus/devices/$lname/handle")
	SB_ARGS_sb_life_test="chan=$lchan"
	check "unbind: $LIFE holds a client slice and $lchan" sb_modprobe $LIFE
	check_eq "the channel's device is the DMA device, slicesim.0" \
		"$(readlink -f /sys/class/dma/$lchan/device)" "$(readlink -f $SIMDEV)"
	check_fail "rmmod slicebus_dma is refused while the channel is held" rmmod slicebus_dma
	check "unbinding slicesim.0 while they are held" \
		sh -c "echo slicesim.0 > /sys/bus/platform/drivers/slicesim/unbind"
	check_fail "sim0 is gone" sh -c "$S dev show sim0 2>/dev/null"
	life_probe "after unbind"
	check "giving everything back after the provider left" sb_rmmod $LIFE
	check_fail "and the log stays clean" sh -c "dmesg | grep -q 'BUG\|WARNING\|Oops\|general protection'"
else
	ok 1 "slicesim dma_offset=1 loads"
fi
unset SB_ARGS_slicesim SB_ARGS_sb_life_test
sb_rmmod slicesim slicebus_dma slicebus_dsa slicebus

# 3. netlink at its limits (a stand-in backend: no framework behind it)
SB_ARGS_slicesim="ndev=40 wqs=512 wq_entries=8192"
SB_ARGS_sb_testbe="backend=vdpa"
sb_modprobe slicesim sb_testbe
unset SB_ARGS_slicesim SB_ARGS_sb_testbe
n63=$(printf 'a%.0s' $(seq 63))
n64=$(printf 'b%.0s' $(seq 64))
check_eq "a 63-character slice name is taken" \
	"$($S slice add sim0 type dwq-16 backend vdpa name "$n63" 2>&1)" "$n63"
check "and shown" sh -c "$S slice show $n63 | grep -q '^$n63:'"
check "a 64-character slice name is refused with a reason" \
	sh -c "$S slice add sim0 type dwq-16 backend vdpa name $n64 2>&1 | grep -q '^Error: '"
check_fail "and nothing was made" sh -c "$S slice show $n64 2>/dev/null"
check "a 64-character device name is refused with a reason" \
	sh -c "$S dev show $n64 2>&1 | grep -q '^Error: '"
umax=18446744073709551615
vdpa_be() {
	$S -j dev show sim0 | python3 -c "import json,sys; d=json.load(sys.stdin)['dev'][0]; print([b['$1'].get('wq') for b in d['backends'] if b['name']=='vdpa'][0])"
}
check "reserve at U64_MAX is refused with a reason" \
	sh -c "$S dev set sim0 backend vdpa reserve wq $umax 2>&1 | grep -q '^Error: .*reservations'"
check_eq "and changes nothing" "$(vdpa_be reserve)" 0
check "limit at U64_MAX - 1 is taken" $S dev set sim0 backend vdpa limit wq 18446744073709551614
check "limit at U64_MAX means none" $S dev set sim0 backend vdpa limit wq $umax
check_eq "and shows as none" "$(vdpa_be limit)" None
check "a value above U64_MAX is refused" \
	sh -c "$S dev set sim0 backend vdpa limit wq 18446744073709551616 2>&1 | grep -q '^Error: '"
# dumps: 40 devices and 300 slices with long names take several messages
check_eq "a device dump lists all 40 devices once" \
	"$($S -j dev show | python3 -c 'import json,sys; n=[d["name"] for d in json.load(sys.stdin)["dev"]]; print(len(n), len(set(n)))')" "40 40"
long=$(printf 'x%.0s' $(seq 56))
i=0
while [ $i -lt 300 ]; do
	$S slice add sim$((i % 40)) type dwq-16 backend vdpa name "$long.$i" > /dev/null || break
	i=$((i + 1))
done
check_eq "300 slices with 60-character names are made" "$i" 300
check_eq "a slice dump lists all 301 once" \
	"$($S -j slice show | python3 -c 'import json,sys; n=[s["name"] for s in json.load(sys.stdin)["slice"]]; print(len(n), len(set(n)))')" "301 301"
check_eq "and so does an unprivileged one" \
	"$(setpriv --reuid=65534 --regid=65534 --clear-groups $S -j slice show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["slice"]))')" 301
check "an unprivileged user cannot add a slice" \
	sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups $S slice add sim0 backend vdpa 2>&1 | grep -q '^Error: '"
check "everything unloads" sb_rmmod sb_testbe slicesim slicebus_dsa slicebus
