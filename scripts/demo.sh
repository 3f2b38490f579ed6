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

say "Hand a slice to VFIO: an mdev, as mdevctl and QEMU know them"
sb_modprobe vfio_iommu_type1 slicebus_vfio
run slicectl slice add sim0 type dwq-16 backend vfio name 5b1ce000-0000-4000-8000-000000000001
run mdevctl list
run mdevctl types
say "The accountant is the same: available_instances follow slicectl"
run slicectl dev show sim0
if [ -c /dev/vfio/vfio ]; then
	say "A userspace VFIO driver copies 64 KiB blocks through the mdev's portal"
	run "$SB_BUILD/selftests/vfio_test" -c 200 5b1ce000-0000-4000-8000-000000000001
fi
pause

say "Hand a slice to vDPA with the vdpa tool: a virtio-net device in loopback"
sb_modprobe slicebus_vdpa virtio_vdpa virtio_net
run vdpa mgmtdev show
run vdpa dev add name demo-vdpa mgmtdev sim0 mac 02:5b:00:00:00:01
run vdpa dev show demo-vdpa
run vdpa dev config show demo-vdpa
run slicectl slice show
ifn=$(ls /sys/bus/vdpa/devices/demo-vdpa/virtio*/net/ 2>/dev/null)
if [ -n "$ifn" ]; then
	ip link set "$ifn" up
	say "Frames sent on $ifn come back; every payload copy ran on the slice's WQ"
	run python3 "$SB_TOP/selftests/progs/vdpa_loop.py" "$ifn" 2000
	run cat /sys/bus/slicebus/devices/demo-vdpa/queue/stats
fi
say "One slice each for dma, vfio and vdpa: the accountant counts them all"
run slicectl dev show sim0
run cat /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16/available_instances
pause

say "Reserve 2 WQs for VFIO: the other backends see less"
run slicectl dev set sim0 backend vfio reserve wq 2
run slicectl -j dev show sim0
pause

say "Past capacity, the accountant says no, and why, whoever asks"
run slicectl slice add sim0 type dwq-64 backend dma name demo-dma2
run sh -c "cat /proc/sys/kernel/random/uuid > /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-64/create"
run sh -c "dmesg | tail -n 2"
run slicectl dev set sim0 backend vdpa reserve wq 7
pause

say "Give it all back"
run slicectl slice del demo-dma
run slicectl slice del 5b1ce000-0000-4000-8000-000000000001
run vdpa dev del demo-vdpa
run slicectl dev set sim0 backend vfio reserve wq 0
run slicectl dev show sim0
sb_rmmod virtio_net virtio_vdpa slicebus_vdpa slicebus_vfio slicebus_dma slicesim slicebus_dsa slicebus

say "A VM gets a slice: QEMU -device vfio-pci,sysfsdev=<mdev>, a guest copies through it"
sh "$SB_TOP/selftests/e2e/e2e-l1.sh" | sed 's/^/  /'
