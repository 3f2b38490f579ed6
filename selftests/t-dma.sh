#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The slicesim engine, the in-kernel client API and slicebus_dma: every
# opcode against the CPU, dmatest (built from the test kernel's source) on our
# channels, accounting, queue-full behaviour, refusals and removal.
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
DMATEST=$SB_BUILD/peer/dmatest/dmatest.ko
P=/sys/module/dmatest/parameters

devq() {
	$S -j dev show sim0 |
		python3 -c "import json,sys; d=json.load(sys.stdin)['dev'][0]; print($1)"
}
avail() { devq "[t['available']['$2'] for t in d['types'] if t['name']=='$1'][0]"; }

# dmatest CHANNELS... with the parameters in $DT_ARGS; prints the summaries
dmatest_run() {
	modprobe -r dmatest 2>/dev/null
	# shellcheck disable=SC2086
	insmod "$DMATEST" $DT_ARGS || return 1
	for ch in "$@"; do echo "$ch" > $P/channel; done
	echo 1 > $P/run
	cat $P/wait > /dev/null
	dmesg | grep 'dmatest: .*summary' | tail -n "$(( $# * ${DT_THREADS:-1} ))"
	dmesg -C
	rmmod dmatest
}

# Every summary line of $1 reports $2 tests and 0 failures; count = $3
summaries_ok() {
	n=$(echo "$1" | grep -c "summary $2 tests, 0 failures")
	[ "$n" -eq "$3" ]
}

check "load slicesim and slicebus_dma" sb_modprobe slicesim slicebus_dma

# 1. a dma slice is a dmaengine channel
name=$($S slice add sim0 type dwq-16 backend dma)
check "slice add ... backend dma prints the slice name" test -n "$name"
chan=$($S -j slice show "$name" | python3 -c 'import json,sys; print(json.load(sys.stdin)["slice"][0]["handle"])')
check "its handle is a dmaengine channel" test -d "/sys/class/dma/$chan"
# the queue of a channel runs only while a client holds it
wqstate() { sed -n "s/^wq [0-9]* slice $1 size [0-9]* \(enabled [01] ring [01]\) .*/\1/p" /sys/kernel/debug/slicesim/sim0/wqs; }
check_eq "an idle channel's queue is off and has no ring" "$(wqstate "$name")" "enabled 0 ring 0"
check "the channel's device is the DMA device, slicesim.0" \
	test "$(readlink -f /sys/class/dma/$chan/device)" = "$(readlink -f /sys/bus/platform/devices/slicesim.0)"
check_eq "the slice names its channel" "$(cat /sys/bus/slicebus/devices/$name/handle)" "$chan"
check_eq "dma slices count against every backend" "$(avail dwq-16 vfio) $(avail dwq-64 vdpa)" "7 1"
check_eq "and show under backend dma" \
	"$(devq '[b["used"]["wq"] for b in d["backends"] if b["name"]=="dma"][0]')" 1

# 1b. one dmaengine device per DMA device: the slices of sim0 are channels
# of one dma_device, which comes with the first and goes with the last
dmadev() { echo "${1%chan*}"; }
n1=$($S slice add sim0 type dwq-16 backend dma)
n2=$($S slice add sim0 type dwq-16 backend dma)
c1=$(cat "/sys/bus/slicebus/devices/$n1/handle")
c2=$(cat "/sys/bus/slicebus/devices/$n2/handle")
check_eq "three slices of sim0 are channels of one dma_device" \
	"$(dmadev "$c1") $(dmadev "$c2")" "$(dmadev "$chan") $(dmadev "$chan")"
check "each with its own channel" \
	test "$c1" != "$chan" -a "$c2" != "$chan" -a "$c1" != "$c2"
check_eq "dmaengine lists one device for them" \
	"$(ls /sys/kernel/debug/dmaengine | grep -vc '^summary$')" 1
check "deleting one slice" $S slice del "$n1"
check_fail "takes its channel away" test -e "/sys/class/dma/$c1"
check "and leaves the others" test -d "/sys/class/dma/$chan" -a -d "/sys/class/dma/$c2"
check_eq "a slice created after it joins the same dma_device" \
	"$(dmadev "$(cat "/sys/bus/slicebus/devices/$($S slice add sim0 type dwq-16 backend dma name dmajoin)/handle")")" \
	"$(dmadev "$chan")"
$S slice del dmajoin
$S slice del "$n2"
check_eq "the counts are as before" "$(avail dwq-16 vfio) $(avail dwq-64 vdpa)" "7 1"

# 2. the in-kernel client API, every opcode against the CPU
dmesg -C
insmod "$SB_TOP/selftests/modules/sb_client_test.ko" hold=1
rc=$?
check_eq "the client API test module passes all its checks" "$rc" 0
dmesg | sed -n 's/.*sb_client_test: \(\(not \)\{0,1\}ok\) [0-9]* - \(.*\)/\1 \3/p' |
while read -r verdict rest; do
	case "$verdict" in
	ok) echo "ok 0 - client API: $rest" ;;
	*) echo "not ok 0 - client API: ${rest#ok }" ;;
	esac
done > /tmp/client.tap
check "it reported 30 checks" test "$(grep -c '' /tmp/client.tap)" -ge 30
while read -r line; do
	case "$line" in
	"ok 0 - "*) ok 0 "${line#ok 0 - }" ;;
	*) ok 1 "${line#not ok 0 - }" ;;
	esac
done < /tmp/client.tap
check_eq "a client's slice shows with handle kernel" \
	"$($S slice show sb_client_held)" \
	"sb_client_held: dev sim0 type dwq-64 backend dma handle kernel"
check_eq "and cannot be deleted from userspace" \
	"$($S slice del sb_client_held 2>&1)" \
	"Error: slice sb_client_held is held by an in-kernel user"
check_eq "while it holds a dwq-64, vfio sees 0 more dwq-64" "$(avail dwq-64 vfio)" 0
rmmod sb_client_test
check_fail "unloading the client gives the slice back" $S slice show sb_client_held
check_eq "and its capacity" "$(avail dwq-64 vfio)" 1

# 3. dmatest on our channel
if [ -f "$DMATEST" ]; then
	out=$(DT_ARGS="iterations=3000 threads_per_chan=2 timeout=20000" DT_THREADS=2 dmatest_run "$chan")
	echo "$out" | sed 's/^/# /'
	check "dmatest memcpy: 2 threads x 3000 iterations, 0 failures" summaries_ok "$out" 3000 2
	out=$(DT_ARGS="iterations=1000 dmatest=1 timeout=20000" dmatest_run "$chan")
	echo "$out" | sed 's/^/# /'
	check "dmatest memset (dmatest=1): 1000 iterations, 0 failures" summaries_ok "$out" 1000 1
	out=$(DT_ARGS="iterations=1000 polled=1 timeout=20000" dmatest_run "$chan")
	echo "$out" | sed 's/^/# /'
	check "dmatest polled=1: 1000 iterations, 0 failures" summaries_ok "$out" 1000 1
	name2=$($S slice add sim0 type dwq-64 backend dma)
	chan2=$(cat "/sys/bus/slicebus/devices/$name2/handle")
	out=$(DT_ARGS="iterations=1000 timeout=20000" dmatest_run "$chan" "$chan2")
	echo "$out" | sed 's/^/# /'
	check "dmatest on two slices at once, 0 failures" summaries_ok "$out" 1000 2
	check "the slice's queue counted the copies" \
		sh -c "awk '{ exit !(\$6 >= 1000) }' /sys/bus/slicebus/devices/$name2/queue/stats"
	sysfs=$(awk '{ print $6 }' "/sys/bus/slicebus/devices/$name2/queue/stats")
	check_eq "slicectl -s shows the same count as queue/stats ($sysfs completed)" \
		"$($S -j -s slice show "$name2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["slice"][0]["stats"]["completed"])')" \
		"$sysfs"
	check "slicectl -s prints the counters under the slice" \
		sh -c "$S -s slice show $name2 | grep -q '^    stats submitted [0-9]* refused 0 completed $sysfs failed 0 bytes [1-9]'"
	check_fail "without -s, no counters" sh -c "$S -j slice show | grep -q stats"
	check "a dump with -s has counters for every slice" \
		sh -c "$S -j -s slice show | python3 -c 'import json,sys; s=json.load(sys.stdin)[\"slice\"]; sys.exit(not s or not all(\"stats\" in x for x in s))'"

	# a channel held by a client cannot be deleted
	insmod "$DMATEST" iterations=100000 timeout=20000
	echo "$chan2" > $P/channel
	echo 1 > $P/run
	sleep 1
	check_eq "a held channel's queue is on, with its ring" "$(wqstate "$name2")" "enabled 1 ring 1"
	check_eq "deleting a slice whose channel dmatest holds is refused" \
		"$($S slice del "$name2" 2>&1)" \
		"Error: $chan2 is in use by a dmaengine client; release it first"
	echo 0 > $P/run
	rmmod dmatest
	dmesg -C
	check_eq "released, its queue is off and the ring freed" "$(wqstate "$name2")" "enabled 0 ring 0"
	check "once dmatest let go, the slice is deleted" $S slice del "$name2"
else
	skip "dmatest" "build/peer/dmatest/dmatest.ko missing (no kernel source)"
fi

# 3b. termination as dmaengine defines it (interrupts off, no callback,
# synchronize), with a slow engine so that copies are on the queue
DBG=/sys/kernel/debug/slicesim/sim0
dmesg -C
echo 50000 > $DBG/delay_us
insmod "$SB_TOP/selftests/modules/sb_dma_test.ko" chan="$chan"
rc=$?
echo 0 > $DBG/delay_us
dmesg | sed -n 's/.*sb_dma_test: \([0-9]* callbacks .*\)/# \1/p'
check_eq "the dmaengine termination test passes all its checks" "$rc" 0
check_eq "it ran 6 checks" \
	"$(dmesg | grep -c 'sb_dma_test: \(not \)\{0,1\}ok ')" 6
dmesg | sed -n 's/.*sb_dma_test: \(not ok [0-9]* - .*\)/# \1/p'
rmmod sb_dma_test 2> /dev/null

# 4. removal
check "rmmod slicebus_dma with a live channel" sb_rmmod slicebus_dma
check_eq "takes the slice with it" "$($S -j slice show)" '{"slice":[]}'
check_eq "and the channel" "$(ls /sys/class/dma | wc -l)" 0
check_eq "and the dma_device" "$(ls /sys/kernel/debug/dmaengine | grep -vc '^summary$')" 0
check_eq "capacity is back" "$(avail dwq-16 dma)" 8
sb_modprobe slicebus_dma
$S slice add sim0 backend dma > /dev/null
check "rmmod slicesim with a live channel" sb_rmmod slicesim
check_eq "no channel is left" "$(ls /sys/class/dma | wc -l)" 0
check "everything unloads" sb_rmmod slicebus_dma slicebus_dsa slicebus

# 5. a provider whose DMA device is not the slice: slicesim's platform
# device does the DMA and sees RAM at an offset (dma_offset=1), so memory
# mapped against any other device gives addresses the engine faults on
dmesg -C
if SB_ARGS_slicesim="dma_offset=1" sb_modprobe slicesim slicebus_dma; then
	name=$($S slice add sim0 type dwq-16 backend dma)
	chan=$(cat "/sys/bus/slicebus/devices/$name/handle")
	check_eq "dma_offset: the channel's device is the DMA device, slicesim.0" \
		"$(readlink -f /sys/class/dma/$chan/device)" \
		"$(readlink -f /sys/bus/platform/devices/slicesim.0)"
	if [ -f "$DMATEST" ]; then
		out=$(DT_ARGS="iterations=500 timeout=20000" dmatest_run "$chan")
		echo "$out" | sed 's/^/# /'
		check "dma_offset: dmatest maps against the engine's device, 0 failures" \
			summaries_ok "$out" 500 1
		check_eq "dma_offset: and no descriptor of it faulted" \
			"$(awk '{ print $8 }' "/sys/bus/slicebus/devices/$name/queue/stats")" 0
	else
		skip "dma_offset: dmatest" "build/peer/dmatest/dmatest.ko missing (no kernel source)"
	fi
	insmod "$SB_TOP/selftests/modules/sb_client_test.ko"
	rc=$?
	check_eq "dma_offset: the client API test maps against slicebus_client_dma_device()" "$rc" 0
	dmesg | sed -n 's/.*sb_client_test: \(not ok [0-9]* - .*\)/# \1/p'
	rmmod sb_client_test 2> /dev/null
	check "dma_offset: everything unloads" sb_rmmod slicesim slicebus_dma slicebus_dsa slicebus
else
	ok 1 "slicesim loads with dma_offset=1"
fi
done_testing
