#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: runs inside the test VM and walks an operator through slicebus.
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib.sh"
slicectl() { "$SLICECTL" "$@"; }
say() { printf '\n==> %s\n' "$*"; }
run() { printf '\n$ %s\n' "$*"; "$@"; }
pause() { sleep "${DEMO_PAUSE:-0}"; }

say "Load the slicebus core and slicesim: one simulated DSA device, sim0"
sb_modprobe slicebus slicesim || exit 1
run slicectl dev show
pause

say "Every slice goes through one accountant: take a dwq-64 for dmaengine"
sb_modprobe slicebus_dma
run slicectl slice add sim0 type dwq-64 backend dma name demo-dma
run slicectl slice show
run slicectl dev show sim0
say "dwq-16 dropped from 8 to 4 and dwq-64 from 2 to 1, for every backend"
pause

DMATEST=$SB_BUILD/peer/dmatest/dmatest.ko
if [ -f "$DMATEST" ]; then
	chan=$(cat /sys/bus/slicebus/devices/demo-dma/handle)
	say "The slice is dmaengine channel $chan: run dmatest on it"
	run insmod "$DMATEST" iterations=2000 threads_per_chan=2 channel="$chan" run=1
	cat /sys/module/dmatest/parameters/wait > /dev/null
	dmesg | grep 'dmatest: .*summary'
	rmmod dmatest
	run cat /sys/bus/slicebus/devices/demo-dma/queue/stats
	pause
fi

say "Reserve 2 WQs for VFIO: the other backends see less"
run slicectl dev set sim0 backend vfio reserve wq 2
run slicectl -j dev show sim0
pause

say "Past capacity, the accountant says no, and why"
run slicectl slice add sim0 type dwq-64 backend dma name demo-dma2
run slicectl slice add sim0 type dwq-16 backend dma
run slicectl dev set sim0 backend vdpa reserve wq 7
pause

say "Give it all back"
run slicectl slice del demo-dma
run slicectl slice del demo-dma2
run slicectl dev set sim0 backend vfio reserve wq 0
run slicectl dev show sim0
sb_rmmod slicebus_dma slicesim slicebus
