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
# each N is measured as RUNS runs of N / RUNS operations: a figure per run
RUNS=5
for n in $N_SMALL $N_BIG; do
	per=$((n / RUNS))
	for run in $(seq $RUNS); do
		# mtty has room for 24 ports: create/destroy in rounds of 4 (2 ports each)
		if [ -d /sys/class/mtty/mtty/mdev_supported_types ]; then
			for side in mtty slicebus; do
				case $side in
				mtty) types=/sys/class/mtty/mtty/mdev_supported_types/mtty-2 ;;
				*) types=/sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16 ;;
				esac
				c=0 d=0 r=0
				while [ $r -lt $((per / 4)) ] || [ $r -eq 0 ]; do
					set -- $(mdev_loop $types 4)
					c=$((c + $1)) d=$((d + $2)) r=$((r + 1))
				done
				out "mdev_create_us_${side}_$n" $((c / r))
				out "mdev_destroy_us_${side}_$n" $((d / r))
			done
		fi
		if vdpa mgmtdev show vdpasim_net > /dev/null 2>&1; then
			set -- $(vdpa_loop vdpasim_net "$per")
			out "vdpa_create_us_vdpasim_$n" "$1"
			out "vdpa_destroy_us_vdpasim_$n" "$2"
		fi
		set -- $(vdpa_loop sim0 "$per")
		out "vdpa_create_us_slicebus_$n" "$1"
		out "vdpa_destroy_us_slicebus_$n" "$2"
		for b in dma vdpa; do
			set -- $(slicectl_loop "$b" "$per")
			out "slicectl_create_us_${b}_$n" "$1"
			out "slicectl_destroy_us_${b}_$n" "$2"
		done
	done
done
rmmod vdpa_sim_net vdpa_sim vringh mtty 2> /dev/null

# 2. scale: live slices -----------------------------------------------------
# what the slices hold, not what lookups of their sysfs files left cached:
# reclaimable dentries and inodes are dropped before each reading
mem() {
	echo 2 > /proc/sys/vm/drop_caches
	awk '/^Slab:/ { s = $2 } /^MemAvailable:/ { a = $2 } END { print s, a }' /proc/meminfo
}
# which slab caches grow with the slices: "name bytes" of each cache
slabs() { echo 2 > /proc/sys/vm/drop_caches; awk 'NR > 2 { print $1, $3 * $4 }' /proc/slabinfo; }
live=0
slabs > /tmp/slab0
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
# the caches that grew most, per slice, at the largest size
slabs | awk -v n="$live" 'NR == FNR { b[$1] = $2; next }
	{ d = ($2 - b[$1]) / n; if (d >= 16) printf "slabcache_%s_bytes_per_slice %d\n", $1, d }' /tmp/slab0 - |
	tr -- '-:.' '___' | sort -k2 -n -r | head -n 16
seq 1 "$live" | sed 's/.*/slice del sc&/' > /tmp/del.b
$S -b /tmp/del.b
sb_rmmod slicebus_dma slicebus_vdpa slicebus_vfio slicesim

# 2b. create and destroy at N live, against the anchors ---------------------
# vdpa: our device and vdpa_sim_net, each with only its own population on
# the vdpa bus (the core's name lookups walk the whole bus), created and
# deleted by one netlink client for both, so that the figure is the
# kernel's cost and not the vdpa tool's start-up
C="python3 $SB_TOP/selftests/progs/vdpa_churn.py"
CYC=20
[ -n "$Q" ] && CYC=4
SB_ARGS_slicesim="wqs=16384 wq_entries=262144" sb_modprobe slicesim slicebus_vfio slicebus_vdpa
insmod "$P/mtty/mtty.ko" 2> /dev/null
insmod "$P/vdpa_sim/vringh.ko" 2> /dev/null
insmod "$P/vdpa_sim/vdpa_sim.ko" 2> /dev/null
insmod "$P/vdpa_sim/vdpa_sim_net.ko" 2> /dev/null
for side in slicebus vdpasim; do
	mg=sim0
	[ $side = vdpasim ] && mg=vdpasim_net
	vdpa mgmtdev show "$mg" > /dev/null 2>&1 || continue
	live=0
	for n in $SCALE; do
		$C "$mg" live add $((live + 1)) "$n" || break
		live=$n
		for run in $(seq $RUNS); do
			set -- $($C "$mg" cyc cycle $CYC)
			out "scale_vdpa_create_us_${side}_at_$n" "$1"
			out "scale_vdpa_destroy_us_${side}_at_$n" "$2"
		done
	done
	[ $live -gt 0 ] && $C "$mg" live del 1 "$live"
done
# mdev: ours at each N live (a population of vfio slices); mtty holds 24
# ports in all, so its figure is at 8 live (16 ports) plus the 4 (8 ports)
# created and removed
uuid() { printf '%08x-0000-4000-8000-%012x' "$1" "$1"; }
mdev_cycle() {	# types dir: 4 created, then removed; "CREATE_US DESTROY_US"
	t0=$(now)
	for i in 1 2 3 4; do uuid $((i + 900000)) > "$1/create" || return 1; done
	t1=$(now)
	for i in 1 2 3 4; do echo 1 > "/sys/bus/mdev/devices/$(uuid $((i + 900000)))/remove"; done
	t2=$(now)
	echo "$(per_op_us "$t0" "$t1" 4) $(per_op_us "$t1" "$t2" 4)"
}
mt=/sys/class/mtty/mtty/mdev_supported_types/mtty-2
if [ -d "$mt" ]; then
	for i in $(seq 8); do uuid $((i + 800000)) > "$mt/create"; done
	for run in $(seq $RUNS); do
		set -- $(mdev_cycle "$mt")
		out scale_mdev_create_us_mtty_at_8 "$1"
		out scale_mdev_destroy_us_mtty_at_8 "$2"
	done
	for i in $(seq 8); do echo 1 > "/sys/bus/mdev/devices/$(uuid $((i + 800000)))/remove"; done
fi
live=0
for n in 8 $SCALE; do
	for i in $(seq $((live + 1)) "$n"); do
		echo "slice add sim0 type dwq-16 backend vfio name $(uuid "$i")"
	done > /tmp/add.b
	$S -b /tmp/add.b > /dev/null || break
	live=$n
	for run in $(seq $RUNS); do
		set -- $(mdev_cycle /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16)
		out "scale_mdev_create_us_slicebus_at_$n" "$1"
		out "scale_mdev_destroy_us_slicebus_at_$n" "$2"
	done
done
for i in $(seq "$live"); do echo "slice del $(uuid "$i")"; done > /tmp/del.b
$S -b /tmp/del.b
rmmod vdpa_sim_net vdpa_sim vringh mtty 2> /dev/null
sb_rmmod slicebus_vdpa slicebus_vfio slicesim

# 3. data path ---------------------------------------------------------------
# sb_bench measures each figure RUNS times, one line per run
RUNS=5
MBD=256		# MiB per data-path figure and run: a few hundred ms each
[ -n "$Q" ] && RUNS=2 MBD=4
for e in 1 2 4; do
	SB_ARGS_slicesim="engines=$e" sb_modprobe slicesim slicebus_dma
	name=$($S slice add sim0 type dwq-64 backend dma)
	chan=$(cat "/sys/bus/slicebus/devices/$name/handle")
	dmesg -C
	mm=0
	[ "$e" = 1 ] && mm=1
	insmod "$SB_TOP/selftests/modules/sb_bench.ko" chan="$chan" mbytes=$MBD runs=$RUNS memmove_too=$mm 2> /dev/null
	dmesg | sed -n "s/.*sb_bench: \([A-Za-z_0-9]*\) \([0-9]*\)$/\1_engines$e \2/p"
	if [ "$e" = 1 ]; then
		# the same round trip with engines that sleep at once when idle
		echo 0 > /sys/kernel/debug/slicesim/sim0/poll_us
		dmesg -C
		insmod "$SB_TOP/selftests/modules/sb_bench.ko" only=noop runs=$RUNS 2> /dev/null
		dmesg | sed -n "s/.*sb_bench: noop_latency_ns \([0-9]*\)$/noop_latency_nopoll_ns_engines$e \1/p"
	fi
	$S slice del "$name"
	sb_rmmod slicebus_dma slicesim
done
SB_ARGS_slicesim= sb_modprobe slicesim slicebus_vfio slicebus_vdpa
u=$($S slice add sim0 type dwq-64 backend vfio)
# interleaved, so that each run's ratio compares neighbours in time
for run in $(seq $RUNS); do
	out vfio_memmove_65536_MBps "$("$SB_BUILD/selftests/vfio_test" -c $((MB * 16)) "$u" | sed 's/ MB.s//; s/\..*//')"
	out user_memcpy_65536_MBps "$("$SB_BUILD/selftests/vfio_test" -m $((MB * 16)) "$u" | sed 's/ MB.s//; s/\..*//')"
done
$S slice del "$u"
# the mediated path (slicesim as DMA-only hardware): copies in and out
sb_rmmod slicebus_vdpa slicebus_vfio slicesim
SB_ARGS_slicesim=mediate=1 sb_modprobe slicesim slicebus_vfio slicebus_vdpa
u=$($S slice add sim0 type dwq-64 backend vfio)
for run in $(seq $RUNS); do
	out vfio_mediated_memmove_65536_MBps "$("$SB_BUILD/selftests/vfio_test" -c $((MB * 16)) "$u" | sed 's/ MB.s//; s/\..*//')"
done
$S slice del "$u"
sb_rmmod slicebus_vdpa slicebus_vfio slicesim

# vDPA loopback: the same frames through a slice's vdpa device and through
# vdpa_sim_net (which loops its TX queue into its RX queue), each bound to
# virtio_vdpa and driven through an AF_PACKET socket; runs interleaved
SB_ARGS_slicesim= sb_modprobe slicesim slicebus_vfio slicebus_vdpa
sb_modprobe virtio_vdpa virtio_net
insmod "$P/vdpa_sim/vringh.ko" 2> /dev/null
# use_va=0: vdpa_sim reaches a vhost-vdpa user's memory through pinned
# pages, as our device does (with its default, user virtual addresses, its
# rings were not reachable for our vhost-vdpa user: vringh refused them)
insmod "$P/vdpa_sim/vdpa_sim.ko" use_va=0 2> /dev/null
insmod "$P/vdpa_sim/vdpa_sim_net.ko" 2> /dev/null
netif() {	# vdpa device name: its netdev, up
	i=$(ls /sys/bus/vdpa/devices/$1/virtio*/net/)
	echo 1 > "/proc/sys/net/ipv6/conf/$i/disable_ipv6"
	ip link set "$i" up
	echo "$i"
}
vdpa dev add name bench mgmtdev sim0
ifn=$(netif bench)
sifn=
if vdpa dev add name benchsim mgmtdev vdpasim_net mac 02:00:00:5b:00:02 2> /dev/null; then
	sifn=$(netif benchsim)
fi
frames=$((MB * 20))
loop_fps() {	# netdev: frames per second through its loopback
	t0=$(now)
	python3 "$SB_TOP/selftests/progs/vdpa_loop.py" "$1" "$frames" 1500 > /dev/null || return 1
	t1=$(now)
	echo $(( frames * 1000000000 / (t1 - t0) ))
}
side_by_side() {	# key, how to measure, our device, vdpa_sim_net's (or none)
	for run in $(seq $RUNS); do
		out "$1" "$($2 "$3")"
		[ -n "$4" ] && out "${1}_vdpasim" "$($2 "$4")"
	done
	[ -n "$4" ] && vdpa dev del benchsim
	vdpa dev del bench
}
side_by_side vdpa_frames_per_s loop_fps "$ifn" "$sifn"
# and through vhost-vdpa: a user process drives both virtqueues itself
sb_modprobe vhost_vdpa
chrdev() {	# vdpa device: its vhost-vdpa char device
	vdpa_bind "$1" vhost_vdpa && echo "/dev/$(ls "/sys/bus/vdpa/devices/$1/" | grep vhost-vdpa)"
}
vdpa dev add name bench mgmtdev sim0
vh=$(chrdev bench)
svh=
if vdpa dev add name benchsim mgmtdev vdpasim_net mac 02:00:00:5b:00:02 2> /dev/null; then
	svh=$(chrdev benchsim)
fi
vhost_fps() {	# char device
	"$SB_BUILD/selftests/vhost_hostile" "$1" loop "$frames" 1500 | sed -n 's/ frames.s$//p'
}
side_by_side vhost_frames_per_s vhost_fps "$vh" "$svh"
sb_rmmod vhost_vdpa
rmmod vdpa_sim_net vdpa_sim vringh 2> /dev/null
sb_rmmod virtio_net virtio_vdpa slicebus_vdpa slicebus_vfio slicesim slicebus_dsa slicebus
echo BENCH-END
