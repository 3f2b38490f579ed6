#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the test VM: every figure as "KEY VALUE" lines between
# BENCH-BEGIN and BENCH-END.  SB_BENCH_QUICK=1 shrinks every size (smoke).
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib.sh"
S=$SLICECTL
P=$SB_BUILD/peer
Q=${SB_BENCH_QUICK:-}
N_SMALL=100
N_BIG=1000
SCALE="100 1000 10000"
MB=64
[ -n "$Q" ] && N_SMALL=10 N_BIG=20 SCALE="10 50" MB=4

now() { date +%s%N; }
out() { echo "$1 $2"; }
per_op_us() { echo $(( ($2 - $1) / 1000 / $3 )); }

sb_modprobe vfio_iommu_type1 vdpa vhost_iotlb slicebus || exit 1
echo BENCH-BEGIN

# 1. control plane: create + destroy N, slicebus against the anchors ------
mdev_loop() {	# types dir, n: create all, then destroy all
	t0=$(now)
	for i in $(seq "$2"); do
		printf '%08x-0000-4000-8000-%012x\n' "$i" "$i" > "$1/create" || return 1
	done
	t1=$(now)
	for i in $(seq "$2"); do
		echo 1 > "/sys/bus/mdev/devices/$(printf '%08x-0000-4000-8000-%012x' "$i" "$i")/remove"
	done
	t2=$(now)
	echo "$(per_op_us "$t0" "$t1" "$2") $(per_op_us "$t1" "$t2" "$2")"
}
vdpa_loop() {	# mgmtdev, n
	t0=$(now)
	for i in $(seq "$2"); do vdpa dev add name bv$i mgmtdev "$1" || return 1; done
	t1=$(now)
	for i in $(seq "$2"); do vdpa dev del bv$i; done
	t2=$(now)
	echo "$(per_op_us "$t0" "$t1" "$2") $(per_op_us "$t1" "$t2" "$2")"
}
slicectl_loop() {	# backend, n
	seq "$2" | sed "s/.*/slice add sim0 type dwq-16 backend $1 name bs&/" > /tmp/add.b
	seq "$2" | sed 's/.*/slice del bs&/' > /tmp/del.b
	t0=$(now)
	$S -b /tmp/add.b > /dev/null || return 1
	t1=$(now)
	$S -b /tmp/del.b || return 1
	t2=$(now)
	echo "$(per_op_us "$t0" "$t1" "$2") $(per_op_us "$t1" "$t2" "$2")"
}

SB_ARGS_slicesim="wqs=16384 wq_entries=262144" sb_modprobe slicesim slicebus_vfio slicebus_vdpa slicebus_dma
insmod "$P/mtty/mtty.ko" 2> /dev/null
insmod "$P/vdpa_sim/vringh.ko" 2> /dev/null
insmod "$P/vdpa_sim/vdpa_sim.ko" 2> /dev/null
insmod "$P/vdpa_sim/vdpa_sim_net.ko" 2> /dev/null
for n in $N_SMALL $N_BIG; do
	# mtty has room for 24 ports: create/destroy in rounds of 4 (2 ports each)
	if [ -d /sys/class/mtty/mtty/mdev_supported_types ]; then
		c=0 d=0 r=0
		while [ $r -lt $((n / 4)) ]; do
			set -- $(mdev_loop /sys/class/mtty/mtty/mdev_supported_types/mtty-2 4)
			c=$((c + $1)) d=$((d + $2)) r=$((r + 1))
		done
		out "mdev_create_us_mtty_$n" $((c / r))
		out "mdev_destroy_us_mtty_$n" $((d / r))
		c=0 d=0 r=0
		while [ $r -lt $((n / 4)) ]; do
			set -- $(mdev_loop /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16 4)
			c=$((c + $1)) d=$((d + $2)) r=$((r + 1))
		done
		out "mdev_create_us_slicebus_$n" $((c / r))
		out "mdev_destroy_us_slicebus_$n" $((d / r))
	fi
	if vdpa mgmtdev show vdpasim_net > /dev/null 2>&1; then
		set -- $(vdpa_loop vdpasim_net "$n")
		out "vdpa_create_us_vdpasim_$n" "$1"
		out "vdpa_destroy_us_vdpasim_$n" "$2"
	fi
	set -- $(vdpa_loop sim0 "$n")
	out "vdpa_create_us_slicebus_$n" "$1"
	out "vdpa_destroy_us_slicebus_$n" "$2"
	for b in dma vdpa; do
		set -- $(slicectl_loop "$b" "$n")
		out "slicectl_create_us_${b}_$n" "$1"
		out "slicectl_destroy_us_${b}_$n" "$2"
	done
done
rmmod vdpa_sim_net vdpa_sim vringh mtty 2> /dev/null

# 2. scale: live slices -----------------------------------------------------
mem() { awk '/^Slab:/ { s = $2 } /^MemAvailable:/ { a = $2 } END { print s, a }' /proc/meminfo; }
live=0
set -- $(mem)
slab0=$1 avail0=$2
for n in $SCALE; do
	seq $((live + 1)) "$n" | sed 's/.*/slice add sim0 type dwq-16 backend dma name sc&/' > /tmp/add.b
	t0=$(now)
	$S -b /tmp/add.b > /dev/null
	t1=$(now)
	out "scale_create_us_at_$n" "$(per_op_us "$t0" "$t1" $((n - live)))"
	live=$n
	t0=$(now)
	$S -j slice show > /tmp/dump.json
	t1=$(now)
	got=$(python3 -c 'import json; print(len(json.load(open("/tmp/dump.json"))["slice"]))')
	out "scale_dump_ns_per_slice_at_$n" $(( (t1 - t0) / (got > 0 ? got : 1) ))
	t0=$(now)
	for i in $(seq 100); do
		cat /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16/available_instances > /dev/null
	done
	t1=$(now)
	out "scale_available_instances_us_at_$n" "$(per_op_us "$t0" "$t1" 100)"
	set -- $(mem)
	out "scale_slab_bytes_per_slice_at_$n" $(( ($1 - slab0) * 1024 / n ))
	out "scale_mem_bytes_per_slice_at_$n" $(( (avail0 - $2) * 1024 / n ))
	out "scale_vm_mem_used_kib_at_$n" $(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) - $2 ))
done
seq 1 "$live" | sed 's/.*/slice del sc&/' > /tmp/del.b
$S -b /tmp/del.b
sb_rmmod slicebus_dma slicebus_vdpa slicebus_vfio slicesim

# 3. data path ---------------------------------------------------------------
for e in 1 2 4; do
	SB_ARGS_slicesim="engines=$e" sb_modprobe slicesim slicebus_dma
	name=$($S slice add sim0 type dwq-64 backend dma)
	chan=$(cat "/sys/bus/slicebus/devices/$name/handle")
	dmesg -C
	insmod "$SB_TOP/selftests/modules/sb_bench.ko" chan="$chan" mbytes=$MB 2> /dev/null
	dmesg | sed -n "s/.*sb_bench: \([A-Za-z_0-9]*\) \([0-9]*\)$/\1_engines$e \2/p"
	$S slice del "$name"
	sb_rmmod slicebus_dma slicesim
done
SB_ARGS_slicesim= sb_modprobe slicesim slicebus_vfio slicebus_vdpa
u=$($S slice add sim0 type dwq-64 backend vfio)
out vfio_memmove_65536_MBps "$("$SB_BUILD/selftests/vfio_test" -c $((MB * 16)) "$u" | sed 's/ MB.s//; s/\..*//')"
out user_memcpy_65536_MBps "$("$SB_BUILD/selftests/vfio_test" -m $((MB * 16)) "$u" | sed 's/ MB.s//; s/\..*//')"
$S slice del "$u"
# the mediated path (slicesim as DMA-only hardware): copies in and out
sb_rmmod slicebus_vdpa slicebus_vfio slicesim
SB_ARGS_slicesim=mediate=1 sb_modprobe slicesim slicebus_vfio slicebus_vdpa
u=$($S slice add sim0 type dwq-64 backend vfio)
out vfio_mediated_memmove_65536_MBps "$("$SB_BUILD/selftests/vfio_test" -c $((MB * 16)) "$u" | sed 's/ MB.s//; s/\..*//')"
$S slice del "$u"
sb_rmmod slicebus_vdpa slicebus_vfio slicesim
SB_ARGS_slicesim= sb_modprobe slicesim slicebus_vfio slicebus_vdpa
sb_modprobe virtio_vdpa virtio_net
vdpa dev add name bench mgmtdev sim0
ifn=$(ls /sys/bus/vdpa/devices/bench/virtio*/net/)
echo 1 > "/proc/sys/net/ipv6/conf/$ifn/disable_ipv6"
ip link set "$ifn" up
frames=$((MB * 100))
t0=$(now)
python3 "$SB_TOP/selftests/progs/vdpa_loop.py" "$ifn" "$frames" 1500 > /dev/null
t1=$(now)
out vdpa_frames_per_s $(( frames * 1000000000 / (t1 - t0) ))
vdpa dev del bench
sb_rmmod virtio_net virtio_vdpa slicebus_vdpa slicebus_vfio slicesim slicebus_dsa slicebus
echo BENCH-END
